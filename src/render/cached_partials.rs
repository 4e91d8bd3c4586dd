//! Cached partials: pieces of HTML that many pages share (the site header and footer, each
//! item's card, a list's facet navigation) are rendered once per build, and then printed into
//! every page that shows them.
//!
//! Templates ask for one with the Tera function
//! `cached_partial(template="partials/card.html", item=i, level=2)`. The partial sees `site`
//! and the values passed, nothing else, so the same values always give the same HTML: the
//! values themselves are the cache key. Its output is HTML, printed as it is. The filter form
//! `i | cached_partial(template="partials/card.html", as="item", level=2)` does the same, but
//! Tera hands the filter its value without copying it first: in a loop over many items, that
//! copy was a good part of a list page's cost.
//!
//! The cache is keyed by the values themselves, written out (an item's view by the `_view`
//! name Stave gives it, which is unique in a build). A partial cannot call `cached_partial`
//! itself.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tera::{Context, Tera, Value};

/// The name of the Tera function and filter.
pub const FUNCTION: &str = "cached_partial";

/// Renders and caches partials. Holds its own copy of the theme's templates, without the
/// function, so a partial cannot ask for itself.
struct Partials {
    tera: Tera,
    site: Value,
    /// By template name and the values passed (see [`write_key`]).
    cache: Mutex<HashMap<Vec<u8>, Arc<str>>>,
    /// Contexts holding `site` alone, ready for the next partial to render: one is taken,
    /// given the partial's values, and put back without them, so `site` is not copied again
    /// for every partial made.
    spare: Mutex<Vec<Context>>,
}

/// Adds one value to a key: its name and its JSON, or for a Stave view of an item (which
/// carries `_view`, and which templates cannot make or change) that mark alone.
fn write_key(key: &mut Vec<u8>, name: &str, value: &Value) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *key, name)?;
    match value.get("_view").and_then(Value::as_str) {
        Some(view) => {
            key.push(b'#');
            serde_json::to_writer(&mut *key, view)?;
        }
        None => {
            key.push(b'=');
            serde_json::to_writer(&mut *key, value)?;
        }
    }
    key.push(b';');
    Ok(())
}

impl Partials {
    /// The partial `args["template"]` for the values in `args` (and `piped`, a value passed
    /// through the filter form, under its name).
    fn get(&self, args: &HashMap<String, Value>, piped: Option<(&str, &Value)>) -> tera::Result<Value> {
        let template = args.get("template").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(format!("{FUNCTION} needs the name of a template, such as {FUNCTION}(template=\"partials/footer.html\")"))
        })?;
        // Every value the partial sees, in a stable order: together they are the key.
        let mut values: BTreeMap<&str, &Value> = args.iter().filter(|(n, _)| n.as_str() != AS).map(|(n, v)| (n.as_str(), v)).collect();
        if let Some((name, value)) = piped {
            values.insert(name, value);
        }
        let mut key = Vec::new();
        for (name, value) in &values {
            write_key(&mut key, name, value).map_err(|e| tera::Error::msg(e.to_string()))?;
        }
        self.get_or_render(template, &values, key)
    }

    fn get_or_render(&self, template: &str, args: &BTreeMap<&str, &Value>, key: Vec<u8>) -> tera::Result<Value> {
        let cached = self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key).cloned();
        let partial = match cached {
            Some(p) => p,
            None => {
                let p: Arc<str> = Arc::from(self.render(template, args)?);
                self.cache.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_insert(p).clone()
            }
        };
        Ok(Value::String(partial.to_string()))
    }
}

impl Partials {
    /// Renders partial `template` with `site` and the values of `args`.
    fn render(&self, template: &str, args: &BTreeMap<&str, &Value>) -> tera::Result<String> {
        // Values are cloned straight into the context (inserting them would serialise each
        // one again).
        let mut values = tera::Map::new();
        for (name, value) in args.iter().filter(|(n, _)| **n != "template") {
            values.insert(name.to_string(), (*value).clone());
        }
        let names: Vec<String> = values.keys().cloned().collect();
        let own = Context::from_value(Value::Object(values))?;
        // A value passed as `site` replaces the site's for this partial: a context of its own.
        if names.iter().any(|n| n == "site") {
            return self.tera.render(template, &own);
        }
        let spare = self.spare.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut ctx = spare.unwrap_or_else(|| {
            let mut c = Context::new();
            c.insert("site", &self.site);
            c
        });
        ctx.extend(own);
        let html = self.tera.render(template, &ctx);
        for name in &names {
            ctx.remove(name);
        }
        self.spare.lock().unwrap_or_else(|p| p.into_inner()).push(ctx);
        html
    }
}

/// The filter form's argument naming the value piped in.
const AS: &str = "as";

struct CachedPartial(Arc<Partials>);

impl tera::Function for CachedPartial {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        self.0.get(args, None)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl tera::Filter for CachedPartial {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = args.get(AS).and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(format!(
                "the {FUNCTION} filter needs the name the value takes in the partial, such as `item | {FUNCTION}(template=\"partials/card.html\", as=\"item\")`"
            ))
        })?;
        self.0.get(args, Some((name, value)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Makes `cached_partial` available to `tera`'s templates, for a build whose templates see
/// `site`.
pub fn register(tera: &mut Tera, site: Value) {
    let partials = Arc::new(Partials { tera: tera.clone(), site, cache: Mutex::new(HashMap::new()), spare: Mutex::new(Vec::new()) });
    tera.register_function(FUNCTION, CachedPartial(partials.clone()));
    tera.register_filter(FUNCTION, CachedPartial(partials));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(pairs: &[(&str, Value)]) -> Vec<u8> {
        let mut key = Vec::new();
        for (name, value) in pairs {
            write_key(&mut key, name, value).unwrap();
        }
        key
    }

    #[test]
    fn keys_tell_values_apart_and_item_views_by_their_mark() {
        let card = |view: &str, title: &str| serde_json::json!({"_view": view, "title": title});
        // An item view is keyed on its mark: the rest of it is the same for the same mark.
        assert_eq!(key_of(&[("item", card("item 1", "A"))]), key_of(&[("item", card("item 1", "A"))]));
        assert_ne!(key_of(&[("item", card("item 1", "A"))]), key_of(&[("item", card("item 2", "A"))]));
        assert!(key_of(&[("item", card("item 1", "A long title"))]).len() < 20);
        // Other values are keyed on all of their JSON, with their names.
        assert_ne!(key_of(&[("level", Value::from(2))]), key_of(&[("level", Value::from(3))]));
        assert_ne!(key_of(&[("a", Value::from("x"))]), key_of(&[("b", Value::from("x"))]));
        assert_ne!(key_of(&[("a", Value::from("#\"item 1\""))]), key_of(&[("a", card("item 1", "A"))]));
    }
}
