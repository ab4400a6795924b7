//! Printing a schema the way `print(table.schema)` does in pyarrow, so our
//! output matches the page line for line:
//!
//! ```text
//! id: int64
//! value: int64
//! ```

use std::fmt;

use arrow::datatypes::{DataType, Field, IntervalUnit, Schema, TimeUnit};

/// Displays a schema in pyarrow's style: one `name: type` line per field,
/// with ` not null` after non-nullable fields.
pub struct PyArrowSchema<'a>(pub &'a Schema);

impl fmt::Display for PyArrowSchema<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, field) in self.0.fields().iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", field_string(field))?;
        }
        Ok(())
    }
}

fn field_string(field: &Field) -> String {
    let not_null = if field.is_nullable() { "" } else { " not null" };
    format!(
        "{}: {}{not_null}",
        field.name(),
        type_name(field.data_type())
    )
}

/// pyarrow's name for an Arrow type (`str(pa.int64())` is `"int64"`).
fn type_name(data_type: &DataType) -> String {
    use DataType::*;
    let fixed = match data_type {
        Null => "null",
        Boolean => "bool",
        Int8 => "int8",
        Int16 => "int16",
        Int32 => "int32",
        Int64 => "int64",
        UInt8 => "uint8",
        UInt16 => "uint16",
        UInt32 => "uint32",
        UInt64 => "uint64",
        Float16 => "halffloat",
        Float32 => "float",
        Float64 => "double",
        Utf8 => "string",
        LargeUtf8 => "large_string",
        Utf8View => "string_view",
        Binary => "binary",
        LargeBinary => "large_binary",
        BinaryView => "binary_view",
        Date32 => "date32[day]",
        Date64 => "date64[ms]",
        Interval(IntervalUnit::MonthDayNano) => "month_day_nano_interval",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    match data_type {
        Timestamp(unit, None) => format!("timestamp[{}]", unit_name(unit)),
        Timestamp(unit, Some(tz)) => format!("timestamp[{}, tz={tz}]", unit_name(unit)),
        Time32(unit) => format!("time32[{}]", unit_name(unit)),
        Time64(unit) => format!("time64[{}]", unit_name(unit)),
        Duration(unit) => format!("duration[{}]", unit_name(unit)),
        FixedSizeBinary(width) => format!("fixed_size_binary[{width}]"),
        Decimal128(precision, scale) => format!("decimal128({precision}, {scale})"),
        Decimal256(precision, scale) => format!("decimal256({precision}, {scale})"),
        List(item) => format!("list<{}>", field_string(item)),
        LargeList(item) => format!("large_list<{}>", field_string(item)),
        FixedSizeList(item, size) => format!("fixed_size_list<{}>[{size}]", field_string(item)),
        Struct(fields) => {
            let fields: Vec<_> = fields.iter().map(|f| field_string(f)).collect();
            format!("struct<{}>", fields.join(", "))
        }
        Dictionary(keys, values) => format!(
            "dictionary<values={}, indices={}, ordered=0>",
            type_name(values),
            type_name(keys)
        ),
        // Types this tutorial never meets: Arrow's own spelling is close enough.
        other => other.to_string().to_lowercase(),
    }
}

fn unit_name(unit: &TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Second => "s",
        TimeUnit::Millisecond => "ms",
        TimeUnit::Microsecond => "us",
        TimeUnit::Nanosecond => "ns",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn printed(fields: Vec<Field>) -> String {
        PyArrowSchema(&Schema::new(fields)).to_string()
    }

    #[test]
    fn nullable_fields_print_as_name_colon_type() {
        let schema = printed(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("value", DataType::Int64, true),
        ]);
        assert_eq!(schema, "id: int64\nvalue: int64");
    }

    #[test]
    fn non_nullable_fields_say_not_null() {
        let schema = printed(vec![Field::new("id", DataType::Int64, false)]);
        assert_eq!(schema, "id: int64 not null");
    }

    #[test]
    fn common_types_use_pyarrow_names() {
        let cases = [
            (DataType::Float64, "double"),
            (DataType::Float32, "float"),
            (DataType::Utf8, "string"),
            (DataType::Boolean, "bool"),
            (DataType::Date32, "date32[day]"),
            (
                DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
                "timestamp[us, tz=UTC]",
            ),
            (DataType::Decimal128(10, 2), "decimal128(10, 2)"),
            (
                DataType::List(Arc::new(Field::new("item", DataType::Int64, true))),
                "list<item: int64>",
            ),
            (
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                "dictionary<values=string, indices=int32, ordered=0>",
            ),
        ];
        for (data_type, expected) in cases {
            assert_eq!(type_name(&data_type), expected, "{data_type:?}");
        }
    }

    #[test]
    fn an_empty_schema_prints_nothing() {
        assert_eq!(printed(vec![]), "");
    }
}
