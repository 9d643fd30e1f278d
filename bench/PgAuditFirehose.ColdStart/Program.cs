using System.Reflection;
using System.Runtime.Loader;

// usage: PACKAGE_DIR HANDLER EVENT.json — one cold invocation: load the handler's assembly from the
// package in a context of its own, construct the type, call the method with the event, read the result.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PgAuditFirehose.ColdStart PACKAGE_DIR Assembly::Namespace.Type::Method EVENT.json");
    return 2;
}

var (package, handler, eventFile) = (args[0], args[1].Split("::"), args[2]);
var assemblyPath = Path.Combine(package, handler[0] + ".dll");
var resolver = new AssemblyDependencyResolver(assemblyPath);
var context = new AssemblyLoadContext("lambda-package");
context.Resolving += (ctx, name) => resolver.ResolveAssemblyToPath(name) is { } path ? ctx.LoadFromAssemblyPath(path) : null;
var type = context.LoadFromAssemblyPath(assemblyPath).GetType(handler[1], throwOnError: true)!;
var method = type.GetMethod(handler[2], BindingFlags.Public | BindingFlags.Instance)!;
var instance = Activator.CreateInstance(type)!;
using var input = File.OpenRead(eventFile);
using var output = (Stream)method.Invoke(instance, [input])!;
Console.Out.WriteLine($"{output.Length} bytes");
return 0;
