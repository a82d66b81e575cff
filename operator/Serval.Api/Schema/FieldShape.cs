namespace Serval.Api.Schema;

/// <summary>How a CLR type appears on the wire.</summary>
internal enum FieldShape
{
    String,
    Integer,
    Long,
    Number,
    Boolean,
    DateTime,
    Bytes,
    Quantity,
    IntOrString,
    Object,
    List,
    Map,
    ObjectMeta,
}
