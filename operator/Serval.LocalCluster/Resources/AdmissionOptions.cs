namespace Serval.LocalCluster.Resources;

/// <summary>How strictly a write is checked: kube's fieldValidation (Strict, Warn, Ignore) and whether it is a /status write.</summary>
internal sealed record AdmissionOptions(FieldValidation FieldValidation, bool StatusWrite);
