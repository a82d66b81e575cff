using Cel;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>A CEL expression parsed, checked and turned into a reusable program.</summary>
internal sealed record CompiledExpression(string Source, CelProgramDelegate Program, bool UsesOldSelf);
