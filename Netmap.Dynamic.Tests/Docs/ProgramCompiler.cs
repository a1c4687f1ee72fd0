using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Netmap.Dynamic.Tests.Docs;

/// <summary>
/// Compiles a documentation program in memory with Roslyn as a new console app that references the
/// package would: the .NET runtime's assemblies, Netmap.Dynamic and its one dependency, nullable
/// on, the console template's implicit usings, and nothing of the test project.
/// </summary>
internal static class ProgramCompiler
{
    // What `dotnet new console` turns on with <ImplicitUsings>enable</ImplicitUsings>.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>Compiles <paramref name="code"/> as a console program; the diagnostics that are warnings or errors, and the image when there are none.</summary>
    public static (IReadOnlyList<Diagnostic> Problems, byte[]? Image) Compile(string name, string code)
    {
        CSharpParseOptions parse = new(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "DocProgram",
            [CSharpSyntaxTree.ParseText(code, parse, path: name), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "GlobalUsings.g.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using MemoryStream image = new();
        var result = compilation.Emit(image);
        List<Diagnostic> problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return (problems, result.Success && problems.Count == 0 ? image.ToArray() : null);
    }

    /// <summary>Runs a compiled program's entry point in a collectible load context; returns what it wrote to the console.</summary>
    public static string Run(byte[] image)
    {
        AssemblyLoadContext context = new("doc-program", isCollectible: true);
        TextWriter console = Console.Out;
        using StringWriter output = new();
        try
        {
            Assembly program = context.LoadFromStream(new MemoryStream(image));
            MethodInfo main = program.EntryPoint ?? throw new InvalidOperationException("The program has no entry point.");
            Console.SetOut(output);
            object?[]? args = main.GetParameters().Length == 0 ? null : [Array.Empty<string>()];
            main.Invoke(null, args);
        }
        finally
        {
            Console.SetOut(console);
            context.Unload();
        }
        return output.ToString();
    }

    private static MetadataReference[] LoadReferences()
    {
        // The shared framework the tests run on, plus the library and what the library depends on.
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        IEnumerable<string> framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == runtime);
        string[] library =
        [
            typeof(NetmapPort).Assembly.Location,
            typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,
        ];
        return framework.Concat(library).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
