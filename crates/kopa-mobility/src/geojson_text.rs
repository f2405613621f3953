//! GeoJSON text read safely: every position is checked to hold a longitude and a latitude
//! before the geojson crate sees it, since its conversion to geometries assumes so.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses GeoJSON text into `T` (a document, a feature collection), or says what is wrong.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    check_positions(&value)?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn check_positions(value: &Value) -> Result<(), String> {
    match value {
        Value::Object(members) => members.iter().try_for_each(|(key, member)| {
            if key == "coordinates" {
                check_coordinates(member)
            } else {
                check_positions(member)
            }
        }),
        Value::Array(items) => items.iter().try_for_each(check_positions),
        _ => Ok(()),
    }
}

/// Coordinates nest arrays down to positions: arrays of at least two numbers.
fn check_coordinates(value: &Value) -> Result<(), String> {
    let Value::Array(items) = value else {
        return Err("coordinates must be arrays of numbers".into());
    };
    if items.iter().all(Value::is_number) {
        return if items.len() >= 2 {
            Ok(())
        } else {
            Err(format!("a position needs a longitude and a latitude, not {value}"))
        };
    }
    items.iter().try_for_each(check_coordinates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_odd_positions_are_refused_by_name() {
        let short = r#"{"type": "Polygon", "coordinates": [[[2.804], [24.2, 56.8], [24.1, 56.8], [24.2, 56.8]]]}"#;
        let error = parse::<geojson::GeoJson>(short).unwrap_err();
        assert_eq!(error, "a position needs a longitude and a latitude, not [2.804]");
        let odd = r#"{"type": "Point", "coordinates": "here"}"#;
        assert_eq!(
            parse::<geojson::GeoJson>(odd).unwrap_err(),
            "coordinates must be arrays of numbers"
        );
        let fine = r#"{"type": "Point", "coordinates": [24.2, 56.8]}"#;
        assert!(parse::<geojson::GeoJson>(fine).is_ok());
    }
}
