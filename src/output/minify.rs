//! HTML minification with minify-html, keeping what old browsers and assistive technology need.
//!
//! Every page is minified whole, as it comes out of its template: the theme's templates are
//! ordinary HTML and need follow no rule for it.

fn cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: true,
        keep_comments: false,
        // Inline CSS and JavaScript are kept as written: the theme's own are separate files
        // (and the default theme has no inline CSS), and Cargo.toml builds the minifiers for
        // them unoptimised, since they never run.
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::default()
    }
}

/// Minifies an HTML page (not its inline CSS or JavaScript).
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &cfg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_and_preformatted_text_stays() {
        let page = "<main>\n  <h1>  Title </h1>\n<pre><code>  keep\n    this</code></pre>\n<p>One\ntwo   three</p></main>";
        let out = String::from_utf8(minify_page(page.as_bytes())).unwrap();
        assert_eq!(out, "<main><h1>Title</h1><pre><code>  keep\n    this</code></pre><p>One two three</p></main>");
    }
}
