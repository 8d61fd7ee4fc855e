//! JSON for numbers that may be infinite: JSON has no infinity, so an interval end (or a
//! bound) that the paths cannot bound is written `null` and read back as `-inf` for a lower
//! end and `+inf` for an upper one. NaN is written `null` too and read back as NaN.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::stats::Interval;

/// The JSON shape of an interval with possibly unbounded ends.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
pub struct OpenInterval {
    /// Lower end; `null` when unbounded below.
    pub lo: Option<f64>,
    /// Upper end; `null` when unbounded above.
    pub hi: Option<f64>,
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

pub mod interval {
    use super::*;

    pub fn serialize<S: Serializer>(ci: &Interval, s: S) -> Result<S::Ok, S::Error> {
        OpenInterval {
            lo: finite(ci.lo),
            hi: finite(ci.hi),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Interval, D::Error> {
        let open = OpenInterval::deserialize(d)?;
        Ok(Interval {
            lo: open.lo.unwrap_or(f64::NEG_INFINITY),
            hi: open.hi.unwrap_or(f64::INFINITY),
        })
    }
}

pub mod number {
    use super::*;

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        finite(*v).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Wrap {
        #[serde(with = "interval")]
        ci: Interval,
    }

    #[test]
    fn unbounded_ends_round_trip_through_null() {
        let w = Wrap {
            ci: Interval {
                lo: f64::NEG_INFINITY,
                hi: 0.5,
            },
        };
        let text = serde_json::to_string(&w).expect("serialises");
        assert_eq!(text, r#"{"ci":{"lo":null,"hi":0.5}}"#);
        let back: Wrap = serde_json::from_str(&text).expect("parses");
        assert_eq!(back.ci.lo, f64::NEG_INFINITY);
        assert_eq!(back.ci.hi, 0.5);
        let up: Wrap = serde_json::from_str(r#"{"ci":{"lo":1.0,"hi":null}}"#).expect("parses");
        assert_eq!(up.ci.hi, f64::INFINITY);
    }
}
