//! `email:` in site.yaml: who the emails `stave email` makes are from, the footer they end
//! with, and the unsubscribe link the mailing tool fills in (Mailchimp's `*|UNSUB|*`).

use super::raw::RawEmail;
use super::{Hub, CONFIG_FILE};
use crate::error::{Diagnostic, Diagnostics};
use crate::yaml::spans::Spans;

/// A sender or reply address: `Music Hub <schools@hub.org.uk>`, or the address alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl std::fmt::Display for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{n} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// The validated `email:` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailSettings {
    /// `from:`, else the hub's `email:` under the hub's name; None when neither is given.
    pub from: Option<Mailbox>,
    pub reply_to: Option<Mailbox>,
    /// Markdown printed at the foot of every email (who the hub is, why the reader gets it).
    pub footer: Option<String>,
    /// What the unsubscribe link points to, as the mailing tool wants it written.
    pub unsubscribe: Option<String>,
}

/// Checks `email:`; the hub's address is the sender when `from:` is not given.
pub fn check_email(raw: Option<&RawEmail>, hub: &Hub, loc: &Spans, diags: &mut Diagnostics) -> EmailSettings {
    let raw = raw.cloned().unwrap_or_default();
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut mailbox = |key: &str, text: Option<String>| {
        let text = given(text)?;
        let parsed = parse_mailbox(&text);
        if parsed.is_none() {
            let (l, c) = loc.value(&format!("email.{key}"));
            let message = format!(
                "email {key} '{text}' is not an email address: write the address (schools@hub.org.uk) or a name and \
                 the address (Music Hub <schools@hub.org.uk>)"
            );
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
        }
        parsed
    };
    let from = mailbox("from", raw.from);
    let reply_to = mailbox("reply_to", raw.reply_to);
    let from = from.or_else(|| {
        let address = hub.email.as_deref().and_then(parse_mailbox)?.address;
        Some(Mailbox { name: Some(hub.name.clone()), address })
    });
    let unsubscribe = given(raw.unsubscribe);
    if let Some(u) = &unsubscribe {
        if u.chars().any(char::is_whitespace) || u.contains(['"', '<', '>']) {
            let (l, c) = loc.value("email.unsubscribe");
            let message = format!(
                "email unsubscribe '{u}' must be one link or merge tag without spaces or quotes, as your mailing tool \
                 writes it: *|UNSUB|* in Mailchimp, {{{{unsubscribe}}}} in Brevo, or an https:// address"
            );
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
        }
    }
    EmailSettings { from, reply_to, footer: given(raw.footer), unsubscribe }
}

/// `Name <address>` or `address`; None unless the address has one `@` with text either side,
/// a dot in the domain, and no spaces.
pub fn parse_mailbox(text: &str) -> Option<Mailbox> {
    let text = text.trim();
    let (name, address) = match text.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
        Some((name, address)) => (Some(name.trim().trim_matches('"').trim().to_string()).filter(|n| !n.is_empty()), address.trim()),
        None => (None, text),
    };
    let (local, domain) = address.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.contains(|c: char| c.is_whitespace() || "<>\",;()[]\\".contains(c))
        && !domain.contains('@');
    valid.then(|| Mailbox { name, address: address.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes() {
        let m = parse_mailbox("Music Hub <schools@hub.org.uk>").unwrap();
        assert_eq!((m.name.as_deref(), m.address.as_str()), (Some("Music Hub"), "schools@hub.org.uk"));
        assert_eq!(parse_mailbox("\"Hub, South\" <a@b.uk>").unwrap().name.as_deref(), Some("Hub, South"));
        assert_eq!(parse_mailbox("a@b.uk").unwrap().name, None);
        for bad in ["a@b", "ab.uk", "a b@c.uk", "a@@b.uk", "Hub <>", "@b.uk", "a@.uk"] {
            assert!(parse_mailbox(bad).is_none(), "{bad}");
        }
    }
}
