//! A body as plain text, for the search index: what a reader sees, without the Markdown's
//! marks, with a space wherever a block or a line ends so that words never run together.

use pulldown_cmark::{Event, Parser, TagEnd};

/// Plain text gathered from a body's events as they are read.
#[derive(Default)]
pub struct PlainText(String);

impl PlainText {
    pub fn with_capacity(n: usize) -> Self {
        PlainText(String::with_capacity(n))
    }

    /// Takes one event of the body, as the parser gives it. HTML written into the Markdown
    /// is left out.
    pub fn push(&mut self, ev: &Event) {
        match ev {
            Event::Text(t) | Event::Code(t) => self.0.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.0.push(' '),
            Event::End(end) if is_block(end) => self.0.push(' '),
            _ => {}
        }
    }

    pub fn finish(mut self) -> String {
        let trimmed = self.0.trim_end().len();
        self.0.truncate(trimmed);
        self.0
    }
}

/// `body` (Markdown) as plain text.
pub fn plain_text(body: &str) -> String {
    let mut text = PlainText::with_capacity(body.len());
    for ev in Parser::new_ext(body, super::options()) {
        text.push(&ev);
    }
    text.finish()
}

fn is_block(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image | TagEnd::Superscript | TagEnd::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_go_and_blocks_stay_apart() {
        let text = plain_text(
            "# Singing\n\nA *warm-up* for [Year 4](/cpd/).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>hidden</div>\n",
        );
        assert_eq!(text, "Singing A warm-up for Year 4. one two  a b  c d");
    }
}
