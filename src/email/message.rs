//! The email's other two forms: its plain text (html2text, every link written out as a
//! numbered note at the end), and NAME.eml, a multipart/alternative message of the text then
//! the HTML (mail-builder), marked unsent so that Outlook and Thunderbird open it to be sent.

use crate::config::email::Mailbox;
use crate::error::Diagnostic;
use crate::library::Library;
use crate::urls::BaseUrl;
use chrono::TimeZone;
use html2text::RcDom;
use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;
use mail_builder::MessageBuilder;
use std::hash::{Hash, Hasher};

/// Lines of the plain text are wrapped at this many characters, as mail programs expect.
const TEXT_WIDTH: usize = 72;

/// The email's plain text, from its parsed HTML (what its styles hide, such as the preheader,
/// is left out).
pub fn plain_text(dom: &RcDom, base: &BaseUrl) -> Result<String, Diagnostic> {
    // The layout's tables are not tables to a reader: no borders (a table of the body keeps
    // its columns).
    // Plain, without Markdown's `**` round bold words (headings keep their `#`s).
    let config = html2text::config::plain_no_decorate().link_footnotes(true).use_doc_css().no_link_wrapping().no_table_borders();
    let text = config.dom_to_render_tree(dom).and_then(|tree| config.render_to_string(tree, TEXT_WIDTH));
    let text = text.map_err(|e| Diagnostic::file_error(base.to_string(), format!("the email's plain text could not be made: {e}")))?;
    // Table cells are padded to the width; mail programs show the spaces as they are.
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// An email's three forms, as written: the subject, the HTML and the plain text.
pub struct Parts<'a> {
    pub subject: &'a str,
    pub html: &'a str,
    pub text: &'a str,
}

/// The three files of the email `name`, by extension: `html`, `txt`, `eml`.
pub fn files(lib: &Library, name: &str, email: &Parts) -> Result<Vec<(&'static str, Vec<u8>)>, Diagnostic> {
    let eml = eml(lib, email).map_err(|e| Diagnostic::file_error(format!("{name}.eml"), format!("cannot make the message: {e}")))?;
    Ok(vec![("html", email.html.as_bytes().to_vec()), ("txt", email.text.as_bytes().to_vec()), ("eml", eml)])
}

fn address(m: &Mailbox) -> Address<'static> {
    match &m.name {
        Some(name) => (name.clone(), m.address.clone()).into(),
        None => m.address.clone().into(),
    }
}

/// The message: subject, date (the run's now), sender and reply address from site.yaml, and
/// the text and HTML as alternatives, text first.
fn eml(lib: &Library, email: &Parts) -> std::io::Result<Vec<u8>> {
    let config = &lib.config;
    let sent = config.timezone.from_local_datetime(&lib.now).earliest().map_or(0, |t| t.timestamp());
    let domain = config.email.from.as_ref().and_then(|f| f.address.split_once('@')).map_or("localhost", |(_, d)| d);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&email.subject, &email.html).hash(&mut h);
    let mut message = MessageBuilder::new()
        .subject(email.subject.to_string())
        .date(sent)
        .message_id(format!("{}.{:016x}@{domain}", lib.today(), h.finish()))
        // Outlook opens a message marked unsent as a draft, ready to address and send.
        .header("X-Unsent", Raw::new("1"))
        .text_body(email.text.to_string())
        .html_body(email.html.to_string());
    if let Some(from) = &config.email.from {
        message = message.from(address(from));
    }
    if let Some(reply) = &config.email.reply_to {
        message = message.reply_to(address(reply));
    }
    message.write_to_vec()
}
