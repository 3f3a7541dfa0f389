using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DataSyncPS.Hosting;

/// <summary>
/// What a job's script will use, read from its syntax tree without running it: the Connect-SyncSource
/// calls (with their arguments where they are known before the run), the saved secrets it names
/// (-Credential and -ApiKey given as text), the state stores (-StatePath) and a DataSyncPS imported by path.
/// An argument is known when it is a constant, or built only from constants, $PSScriptRoot,
/// [System.IO.Path]::Combine, (Join-Path a b), double-quoted strings and variables assigned exactly once in the
/// script from such expressions; anything else is reported as not checkable, never evaluated.
/// </summary>
public sealed class ScriptFacts
{
    private readonly Dictionary<string, List<ExpressionAst>> _assignments = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _scriptRoot;

    private ScriptFacts(ScriptBlockAst ast, string scriptPath, IReadOnlyList<string> arguments, ParseError[] errors)
    {
        Errors = errors;
        _scriptRoot = Path.GetDirectoryName(scriptPath)!;
        // The script's parameters: the job's "-Name value" words, else their defaults.
        foreach (var p in ast.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>)[])
        {
            var name = p.Name.VariablePath.UserPath;
            var given = arguments.Select((a, i) => (a, i)).FirstOrDefault(x => x.a.Equals("-" + name, StringComparison.OrdinalIgnoreCase) && x.i + 1 < arguments.Count);
            ExpressionAst? value = given.a is not null
                ? new StringConstantExpressionAst(p.Extent, arguments[given.i + 1], StringConstantType.SingleQuoted)
                : p.DefaultValue;
            if (value is not null) _assignments[name] = [value];
        }
        foreach (var a in ast.FindAll(n => n is AssignmentStatementAst, true).Cast<AssignmentStatementAst>())
            if (a.Left is VariableExpressionAst v && a.Operator == TokenKind.Equals)
            {
                // A parameter assigned again in the script is not known any more.
                if (!_assignments.TryGetValue(v.VariablePath.UserPath, out var list)) _assignments[v.VariablePath.UserPath] = list = [];
                list.Add(a.Right is CommandExpressionAst ce ? ce.Expression : a.Right is PipelineAst { PipelineElements: [CommandExpressionAst pe] } ? pe.Expression : null!);
            }
        foreach (var command in ast.FindAll(n => n is CommandAst, true).Cast<CommandAst>())
        {
            var name = command.GetCommandName();
            if (name is null) continue;
            var bound = StaticParameterBinder.BindCommand(command, resolve: false);
            if (name.Equals("Connect-SyncSource", StringComparison.OrdinalIgnoreCase))
            {
                Sources.Add(ReadSource(command, bound));
                AddSecret(bound, "Credential");
            }
            else if (name.Equals("Send-DataSnapBatch", StringComparison.OrdinalIgnoreCase)) AddSecret(bound, "ApiKey");
            else if (name.Equals("Save-SyncSecret", StringComparison.OrdinalIgnoreCase)) continue;
            else if (name.Equals("Import-Module", StringComparison.OrdinalIgnoreCase)
                && Known(Argument(bound, "Name", 0)) is string module && module.EndsWith("DataSyncPS.psd1", StringComparison.OrdinalIgnoreCase))
                ImportedModule = Path.GetFullPath(module, _scriptRoot);
            if (Known(Argument(bound, "StatePath")) is string state && !StatePaths.Contains(Path.GetFullPath(state, _scriptRoot)))
                StatePaths.Add(Path.GetFullPath(state, _scriptRoot));
        }
    }

    /// <param name="arguments">The words the job passes to the script (its parameters' values).</param>
    public static ScriptFacts Read(string scriptPath, IReadOnlyList<string> arguments)
    {
        var ast = Parser.ParseFile(scriptPath, out _, out var errors);
        return new ScriptFacts(ast, scriptPath, arguments, errors);
    }

    public ParseError[] Errors { get; }

    public List<ScriptSource> Sources { get; } = [];

    public List<string> SecretNames { get; } = [];

    public List<string> StatePaths { get; } = [];

    public string? ImportedModule { get; private set; }

    private void AddSecret(StaticBindingResult bound, string parameter)
    {
        if (Known(Argument(bound, parameter)) is string name && !name.Contains(' ')) SecretNames.Add(name);
    }

    private ScriptSource ReadSource(CommandAst command, StaticBindingResult bound)
    {
        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
        var unknown = new List<string>();
        foreach (var (name, p) in bound.BoundParameters)
        {
            if (p.Value is null) { parameters[name] = true; continue; } // a switch
            var value = Known(p.Value);
            if (value is null) unknown.Add($"-{name} {p.Value.Extent.Text}");
            else parameters[name] = value;
        }
        if (bound.BindingExceptions.Count > 0) unknown.AddRange(bound.BindingExceptions.Keys.Select(k => k));
        return new ScriptSource(command.Extent.StartLineNumber, command.Extent.Text, parameters, unknown);
    }

    private static CommandElementAst? Argument(StaticBindingResult bound, string name, int? position = null)
    {
        if (bound.BoundParameters.TryGetValue(name, out var p)) return p.Value;
        return null;
    }

    /// <summary>The value of an argument when it can be known before the run, else null.</summary>
    private object? Known(Ast? ast, int depth = 0)
    {
        if (ast is null || depth > 8) return null;
        switch (ast)
        {
            case StringConstantExpressionAst s: return s.Value;
            case ConstantExpressionAst c: return c.Value;
            case ParenExpressionAst { Pipeline: PipelineAst { PipelineElements: [CommandExpressionAst e] } }: return Known(e.Expression, depth + 1);
            case CommandExpressionAst ce: return Known(ce.Expression, depth + 1);
            case ParenExpressionAst { Pipeline: PipelineAst { PipelineElements: [CommandAst join] } }
                when join.GetCommandName() is { } n && n.Equals("Join-Path", StringComparison.OrdinalIgnoreCase):
            {
                // Join-Path parent child, positionally or as -Path/-ChildPath (its module need not be loaded here).
                string? parent = null, child = null;
                var elements = join.CommandElements.Skip(1).ToList();
                for (var k = 0; k < elements.Count; k++)
                {
                    if (elements[k] is CommandParameterAst named && k + 1 < elements.Count)
                    {
                        var value = Known(elements[++k], depth + 1) as string;
                        if (named.ParameterName.Equals("Path", StringComparison.OrdinalIgnoreCase)) parent = value;
                        else if (named.ParameterName.Equals("ChildPath", StringComparison.OrdinalIgnoreCase)) child = value;
                        else return null;
                    }
                    else if (parent is null) parent = Known(elements[k], depth + 1) as string;
                    else if (child is null) child = Known(elements[k], depth + 1) as string;
                    else return null;
                    if ((parent ?? child) is null) return null;
                }
                return parent is not null && child is not null ? Path.Combine(parent, child) : null;
            }
            case VariableExpressionAst v when v.VariablePath.UserPath.Equals("PSScriptRoot", StringComparison.OrdinalIgnoreCase): return _scriptRoot;
            case VariableExpressionAst v when v.VariablePath.UserPath is "true" or "false": return v.VariablePath.UserPath == "true";
            case VariableExpressionAst v when _assignments.TryGetValue(v.VariablePath.UserPath, out var rhs) && rhs.Count == 1 && rhs[0] is not null:
                return Known(rhs[0], depth + 1);
            case ExpandableStringExpressionAst x when x.StringConstantType == StringConstantType.DoubleQuoted && !x.Extent.Text.Contains('`'):
            {
                var text = x.Value;
                // Replace from the end so that earlier offsets stay right.
                foreach (var nested in x.NestedExpressions.OrderByDescending(n => n.Extent.StartOffset))
                {
                    if (Known(nested, depth + 1) is not string part) return null;
                    var start = nested.Extent.StartOffset - x.Extent.StartOffset - 1;
                    text = text[..start] + part + text[(start + nested.Extent.Text.Length)..];
                }
                return text;
            }
            case BinaryExpressionAst { Operator: TokenKind.Plus } b when Known(b.Left, depth + 1) is string l && Known(b.Right, depth + 1) is { } r:
                return l + r;
            case InvokeMemberExpressionAst { Static: true, Expression: TypeExpressionAst t, Member: StringConstantExpressionAst { Value: var member } } m
                when member.Equals("Combine", StringComparison.OrdinalIgnoreCase) && t.TypeName.FullName is "System.IO.Path" or "IO.Path":
            {
                var parts = m.Arguments?.Select(a => Known(a, depth + 1) as string).ToList() ?? [];
                return parts.Count > 0 && parts.All(p => p is not null) ? Path.Combine(parts.Select(p => p!).ToArray()) : null;
            }
            default: return null;
        }
    }
}

/// <summary>A Connect-SyncSource call of a script: its line, its text, the arguments known before the run,
/// and those that are not (then it cannot be tried).</summary>
public sealed record ScriptSource(int Line, string Text, Hashtable Parameters, IReadOnlyList<string> Unknown);
