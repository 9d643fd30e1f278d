namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Time zone abbreviations that stand for more than one UTC offset somewhere in the IANA time zone database
/// (CST: US Central, Cuba or China; IST: India, Ireland or Israel; ...): the full set of such conflicts,
/// local mean time (LMT) aside, with a zone that uses each offset. Derived from the database's compiled
/// files, not chosen: a test derives it again from the machine's copy and compares. Only error messages
/// use it; no abbreviation is ever turned into an offset by this table.
/// </summary>
internal static class AmbiguousAbbreviations
{
    public static readonly IReadOnlyDictionary<string, (int OffsetSeconds, string Zone)[]> Offsets =
        new Dictionary<string, (int, string)[]>(StringComparer.Ordinal)
        {
            ["ACST"] = [(32400, "Australia/Adelaide"), (34200, "Australia/Adelaide")],
            ["AMT"] = [(-13840, "America/Asuncion"), (1172, "Europe/Amsterdam"), (5692, "Europe/Athens"), (9332, "Africa/Asmara")],
            ["APT"] = [(-32400, "America/Anchorage"), (-10800, "America/Glace_Bay")],
            ["AST"] = [(-36000, "America/Anchorage"), (-14400, "America/Barbados")],
            ["AWT"] = [(-32400, "America/Anchorage"), (-10800, "America/Glace_Bay")],
            ["BMT"] = [(-17776, "America/Bogota"), (-15558, "Atlantic/Bermuda"), (-3996, "Africa/Banjul"), (1050, "Europe/Brussels"), (1786, "Europe/Zurich"), (6264, "Europe/Bucharest"), (10656, "Asia/Baghdad"), (24124, "Asia/Bangkok"), (25632, "Asia/Jakarta")],
            ["BST"] = [(-39600, "America/Adak"), (-12756, "America/La_Paz"), (-11958, "Atlantic/Bermuda"), (3600, "Europe/Dublin")],
            ["CDT"] = [(-18000, "America/Bahia_Banderas"), (-14400, "America/Havana"), (32400, "Asia/Macau")],
            ["CMT"] = [(-19176, "America/Panama"), (-16356, "America/La_Paz"), (-16060, "America/Caracas"), (-15408, "America/Argentina/Buenos_Aires"), (-14640, "America/St_Lucia"), (3020, "Europe/Copenhagen"), (6900, "Europe/Chisinau")],
            ["CST"] = [(-21600, "America/Bahia_Banderas"), (-18000, "America/Havana"), (28800, "Asia/Macau")],
            ["FMT"] = [(-4056, "Atlantic/Madeira"), (-3180, "Africa/Freetown")],
            ["HDT"] = [(-34200, "Pacific/Honolulu"), (-32400, "America/Adak")],
            ["HMT"] = [(-19776, "America/Havana"), (-6872, "Atlantic/Azores"), (5989, "Europe/Helsinki"), (21200, "Asia/Dhaka")],
            ["HST"] = [(-37800, "Pacific/Honolulu"), (-36000, "America/Adak")],
            ["IMT"] = [(7016, "Europe/Istanbul"), (25025, "Asia/Irkutsk")],
            ["IST"] = [(2079, "Europe/Dublin"), (3600, "Europe/Dublin"), (7200, "Asia/Gaza"), (19800, "Asia/Kolkata")],
            ["JMT"] = [(-1368, "Atlantic/St_Helena"), (8440, "Asia/Jerusalem")],
            ["KDT"] = [(34200, "Asia/Seoul"), (36000, "Asia/Seoul")],
            ["KMT"] = [(-18430, "America/Grand_Turk"), (-14696, "America/St_Vincent"), (5736, "Europe/Vilnius"), (7324, "Europe/Kyiv")],
            ["KST"] = [(30600, "Asia/Pyongyang"), (32400, "Asia/Pyongyang")],
            ["MMT"] = [(-20712, "America/Managua"), (-13491, "America/Montevideo"), (-2670, "Africa/Monrovia"), (-2588, "Africa/Monrovia"), (6600, "Europe/Minsk"), (9017, "Europe/Moscow"), (9079, "Europe/Moscow"), (17640, "Indian/Maldives"), (19172, "Asia/Colombo"), (19270, "Asia/Kolkata"), (28656, "Asia/Makassar")],
            ["MSK"] = [(10800, "Europe/Chisinau"), (14400, "Europe/Kirov")],
            ["MST"] = [(-25200, "America/Bahia_Banderas"), (12679, "Europe/Moscow")],
            ["NDT"] = [(-9052, "America/Goose_Bay"), (-9000, "America/Goose_Bay")],
            ["NPT"] = [(-36000, "America/Adak"), (-9000, "America/Goose_Bay")],
            ["NST"] = [(-39600, "America/Adak"), (-12652, "America/Goose_Bay"), (-12600, "America/Goose_Bay"), (4772, "Europe/Amsterdam")],
            ["NWT"] = [(-36000, "America/Adak"), (-9000, "America/Goose_Bay")],
            ["NZST"] = [(43200, "Pacific/Auckland"), (45000, "Pacific/Auckland")],
            ["PDT"] = [(-25200, "America/Boise"), (32400, "Asia/Manila")],
            ["PMT"] = [(-13252, "America/Paramaribo"), (-13236, "America/Paramaribo"), (561, "Africa/Algiers"), (3464, "Europe/Prague"), (13505, "Asia/Yekaterinburg"), (26240, "Asia/Pontianak")],
            ["PST"] = [(-28800, "America/Boise"), (28800, "Asia/Manila")],
            ["RMT"] = [(2996, "Europe/Rome"), (5794, "Europe/Riga"), (23087, "Asia/Yangon")],
            ["SAST"] = [(5400, "Africa/Johannesburg"), (7200, "Africa/Johannesburg"), (10800, "Africa/Johannesburg")],
            ["SMT"] = [(-16965, "America/Coyhaique"), (-13884, "Atlantic/Stanley"), (8160, "Europe/Simferopol"), (24925, "Asia/Singapore")],
            ["TMT"] = [(5940, "Europe/Tallinn"), (12344, "Asia/Tehran")],
            ["WEST"] = [(3600, "Africa/Algiers"), (7200, "Europe/Luxembourg")],
            ["WET"] = [(0, "Africa/Algiers"), (3600, "Europe/Luxembourg")],
            ["ZMT"] = [(8460, "Africa/Blantyre"), (8470, "Africa/Blantyre")],
        };
}
