//! A body as plain text, for the search index: what a reader sees, without the Markdown's
//! marks, with a space wherever a block or a line ends so that words never run together.

use pulldown_cmark::{Event, Parser, TagEnd};

/// `body` (Markdown) as plain text. HTML written into the Markdown is left out.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for ev in Parser::new_ext(body, super::options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::End(end) if is_block(&end) => text.push(' '),
            _ => {}
        }
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text
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
