//! schema.org structured data for CPD events (JSON-LD), so search engines can list them.

use crate::collections::Data;
use crate::dates::to_instant;
use crate::library::{ItemId, Library};
use serde_json::json;

/// The attendance mode schema.org names for a CPD format.
fn attendance_mode(format: &str) -> &'static str {
    match format {
        "online" => "https://schema.org/OnlineEventAttendanceMode",
        "hybrid" => "https://schema.org/MixedEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    }
}

/// "Free" → 0, "£40" or "£12.50 per person" → the amount; None when no price can be read.
pub fn price(cost: &str) -> Option<String> {
    let lower = cost.to_lowercase();
    if lower.starts_with("free") || lower == "no charge" || lower == "£0" {
        return Some("0".into());
    }
    let rest = cost.trim().strip_prefix('£')?;
    let number: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    (!number.is_empty() && number.parse::<f64>().is_ok()).then_some(number)
}

/// The Event object of one CPD item, as a JSON string safe inside a `<script>` element.
pub fn event_json_ld(lib: &Library, id: ItemId) -> String {
    let it = lib.item(id);
    let Data::Cpd(e) = &it.data else { return String::new() };
    let tz = lib.config.timezone;
    let iso = |t| to_instant(t, tz).map(|d| d.to_rfc3339()).unwrap_or_default();
    let url = lib.config.base_url.absolute(&it.url);
    let place = e.venue.as_ref().map(|v| json!({"@type": "Place", "name": v, "address": v}));
    let virtual_location = json!({"@type": "VirtualLocation", "url": e.booking_url.clone().unwrap_or_else(|| url.clone())});
    let location = match (e.format.as_str(), place) {
        ("online", _) | (_, None) => virtual_location,
        ("hybrid", Some(p)) => json!([p, virtual_location]),
        (_, Some(p)) => p,
    };
    let hub = &lib.config.hub;
    // The hub's own site, else this one.
    let hub_url = hub.url.clone().unwrap_or_else(|| lib.config.base_url.absolute(""));
    let organizer = json!({"@type": "Organization", "name": hub.name, "url": hub_url});
    let mut event = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": it.title,
        "description": it.summary,
        "startDate": iso(e.start),
        "endDate": iso(e.end),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": attendance_mode(&e.format),
        "location": location,
        "organizer": organizer,
        "url": url,
        "inLanguage": lib.config.language,
    });
    // Once an event has ended there is nothing left to book: no offer.
    let ended = e.end < lib.now;
    if !ended && (e.cost.is_some() || e.booking_url.is_some()) {
        let mut offer = json!({"@type": "Offer", "url": e.booking_url.clone().unwrap_or_else(|| url.clone()), "availability": "https://schema.org/InStock"});
        if let Some(p) = e.cost.as_deref().and_then(price) {
            offer["price"] = json!(p);
            offer["priceCurrency"] = json!("GBP");
        }
        event["offers"] = offer;
    }
    script_json(&event)
}

/// JSON to print inside a `<script>` element: `</` is written `<\/`, so no text in it can
/// close the element.
pub fn script_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into()).replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_from_free_text() {
        assert_eq!(price("Free"), Some("0".into()));
        assert_eq!(price("Free to Northvale schools"), Some("0".into()));
        assert_eq!(price("£40"), Some("40".into()));
        assert_eq!(price("£12.50 per person"), Some("12.50".into()));
        assert_eq!(price("Funded by the hub"), None);
    }
}
