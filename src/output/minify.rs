//! HTML minification with minify-html, keeping what old browsers and assistive technology need.

/// Minifies a whole HTML page (with its inline CSS and JS).
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: true,
        keep_comments: false,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}
