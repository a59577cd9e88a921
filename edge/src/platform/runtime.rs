//! The Worker's [`Runtime`]: the platform clock and Web Crypto randomness; and its
//! [`ZoneClock`]: time zones read through the platform's `Intl`, so their rules cost the Worker
//! no bytes.

use chrono::{DateTime, NaiveTime, Utc};
use worker::js_sys::{Array, Date, Function, Intl, Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};

use crate::error::{EdgeError, Result};
use crate::service::quiet_hours::ZoneClock;
use crate::service::store::Runtime;

/// Time and randomness inside workerd.
pub struct WorkerRuntime;

impl Runtime for WorkerRuntime {
    fn now(&self) -> DateTime<Utc> {
        let seconds = worker::Date::now().as_millis() / 1000;
        DateTime::from_timestamp(seconds as i64, 0).unwrap_or_default()
    }

    fn random_bytes(&self, buffer: &mut [u8]) -> Result<()> {
        getrandom::getrandom(buffer)
            .map_err(|error| EdgeError::Internal(format!("randomness: {error}")))
    }
}

impl ZoneClock for WorkerRuntime {
    fn time_of_day(&self, time_zone: &str, at: DateTime<Utc>) -> Option<NaiveTime> {
        let options = Object::new();
        for (name, value) in [
            ("timeZone", time_zone),
            ("hourCycle", "h23"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
        ] {
            Reflect::set(&options, &name.into(), &value.into()).ok()?;
        }
        // Constructed through Reflect, so an unknown zone's RangeError is an answer, not a trap.
        let intl = Reflect::get(&worker::js_sys::global(), &"Intl".into()).ok()?;
        let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let arguments = Array::of2(&"en-US".into(), &options);
        let format: Intl::DateTimeFormat = Reflect::construct(&constructor, &arguments)
            .ok()?
            .unchecked_into();
        let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
        let part = |wanted: &str| -> Option<u32> {
            format.format_to_parts(&date).iter().find_map(|part| {
                let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
                (kind == wanted)
                    .then(|| {
                        Reflect::get(&part, &"value".into())
                            .ok()?
                            .as_string()?
                            .parse()
                            .ok()
                    })
                    .flatten()
            })
        };
        // Midnight is 00 in the h23 cycle; an engine that still writes it 24 is read the same.
        NaiveTime::from_hms_opt(part("hour")? % 24, part("minute")?, part("second")?)
    }
}
