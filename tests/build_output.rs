//! Building a small known site and checking what comes out: pages per collection, lists,
//! the home page, downloads, aliases, drafts, Markdown features, the sitemap and robots.txt.

mod common;
use common::*;

#[test]
fn every_collection_has_list_and_item_pages() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    for (list, item) in [
        ("resources", "resources/singing-guide"),
        ("cpd", "cpd/spring-conference"),
        ("toolkit", "toolkit/01-start"),
        ("lead-schools", "lead-schools/east-primary"),
        ("news", "news/hello"),
        ("publications", "publications/plan"),
    ] {
        let doc = html(&out.join(list).join("index.html"));
        let links = hrefs(&doc, "main a");
        assert!(links.contains(&format!("/schools/{item}/")), "{list} does not list {item}: {links:?}");
        let page = html(&out.join(item).join("index.html"));
        assert_eq!(select(&page, "h1").len(), 1, "{item} should have one h1");
    }
}

#[test]
fn home_page_is_the_one_stop_shop() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("index.html"));
    let links = hrefs(&doc, "main a");
    for expected in ["/schools/cpd/spring-conference/", "/schools/news/hello/", "/schools/toolkit/01-start/", "/schools/phase/primary/"] {
        assert!(links.contains(&expected.to_string()), "home lacks {expected}: {links:?}");
    }
    assert!(!links.contains(&"/schools/cpd/past-network/".to_string()), "past events are not 'next CPD'");
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en-GB"));
}

#[test]
fn cpd_splits_upcoming_and_past_relative_to_now() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("cpd/index.html"));
    let upcoming = hrefs(&doc, "section[aria-labelledby=upcoming] .card__title a");
    assert_eq!(upcoming, vec!["/schools/cpd/winter-network/", "/schools/cpd/spring-conference/"], "soonest first");
    let archive = html(&out.join("cpd/archive/index.html"));
    assert_eq!(hrefs(&archive, "main .card__title a"), vec!["/schools/cpd/past-network/"]);
    let event = html(&out.join("cpd/spring-conference/index.html"));
    let when = text(&select(&event, "dd time")[0]);
    assert_eq!(when, "Tuesday 30 March 2027, 9.30am to 3pm");
    assert!(hrefs(&event, "a.button").contains(&"https://www.example.org/book".to_string()));
    // Building later moves the conference to the archive.
    let out2 = dir.path().join("later");
    let o = stave(&["build", "--root", site.to_str().unwrap(), "--out", out2.to_str().unwrap(), "--now", "2027-04-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = html(&out2.join("cpd/archive/index.html"));
    let past = hrefs(&doc, "main .card__title a");
    assert_eq!(
        past,
        vec!["/schools/cpd/spring-conference/", "/schools/cpd/winter-network/", "/schools/cpd/past-network/"],
        "most recent first"
    );
}

#[test]
fn downloads_are_copied_with_size_and_format_shown() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let original = std::fs::read(site.join("content/resources/files/singing-guide.pdf")).unwrap();
    assert_eq!(std::fs::read(out.join("resources/files/singing-guide.pdf")).unwrap(), original);
    let doc = html(&out.join("resources/singing-guide/index.html"));
    let link = &select(&doc, "a.download")[0];
    assert_eq!(link.value().attr("href"), Some("/schools/resources/files/singing-guide.pdf"));
    assert_eq!(text(link), format!("Singing guide (PDF, {} KB)", (original.len() + 500) / 1000));
    let step = html(&out.join("toolkit/01-start/index.html"));
    assert_eq!(hrefs(&step, "a.download"), vec!["/schools/resources/files/singing-guide.pdf"]);
}

#[test]
fn markdown_features_and_rewritten_links() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("resources/singing-guide/index.html"));
    assert_eq!(select(&doc, "h2#getting-started").len(), 1);
    assert_eq!(select(&doc, ".table-wrap table td").len(), 2);
    assert_eq!(select(&doc, "input[type=checkbox][checked]").len(), 1);
    assert_eq!(select(&doc, "del").len(), 1);
    assert!(!select(&doc, ".footnote-definition").is_empty());
    let links = hrefs(&doc, "article a");
    assert!(links.contains(&"/schools/resources/composition-plan/#week-one".to_string()), "{links:?}");
    assert!(links.contains(&"/schools/toolkit/01-start/".to_string()), "{links:?}");
    let plan = html(&out.join("resources/composition-plan/index.html"));
    assert_eq!(select(&plan, "h2#week-one-1").len(), 1, "repeated headings get unique anchors");
}

/// Every `<img>` in a page, as (src, alt, width, height).
fn images(doc: &scraper::Html) -> Vec<(String, String, Option<String>, Option<String>)> {
    let a = |el: &scraper::ElementRef, name| el.value().attr(name).map(str::to_string);
    select(doc, "main img")
        .iter()
        .map(|i| (a(i, "src").unwrap_or_default(), a(i, "alt").unwrap_or_default(), a(i, "width"), a(i, "height")))
        .collect()
}

#[test]
fn images_stored_in_the_site_say_their_width_and_height() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let sized = |w: &str, h: &str| (Some(w.to_string()), Some(h.to_string()));
    // A Lead School's photo: an SVG whose size is only in its viewBox.
    let school = images(&html(&out.join("lead-schools/east-primary/index.html")));
    assert_eq!(school.len(), 1, "{school:?}");
    assert_eq!(school[0].0, "/schools/lead-schools/photos/east.svg");
    assert_eq!((school[0].2.clone(), school[0].3.clone()), sized("640", "400"), "{school:?}");
    // A news item's image: a PNG, its size from its header.
    let news = images(&html(&out.join("news/hello/index.html")));
    assert_eq!(news.len(), 1, "{news:?}");
    assert_eq!((news[0].2.clone(), news[0].3.clone()), sized("300", "200"), "{news:?}");
    // Markdown images: a local JPEG gets its size and keeps its alternative text (without
    // its markup; quotes curled as in the text) and its title; an SVG that gives no size,
    // and a picture on another site, get none rather than a guess.
    let doc = html(&out.join("resources/singing-guide/index.html"));
    let body = images(&doc);
    assert_eq!(body.len(), 3, "{body:?}");
    assert_eq!(
        body[0],
        ("/schools/resources/images/band.jpg".into(), "The school band “in” rehearsal".into(), Some("120".into()), Some("80".into()))
    );
    assert_eq!(select(&doc, "main img")[0].value().attr("title"), Some("The band"));
    assert_eq!(body[1], ("/schools/resources/images/notes.svg".into(), "Notes on a stave".into(), None, None));
    assert_eq!(body[2], ("https://example.org/logo.png".into(), "A hub’s logo".into(), None, None));
    for file in ["resources/images/band.jpg", "resources/images/notes.svg", "news/images/hello.png", "lead-schools/photos/east.svg"] {
        assert!(out.join(file).is_file(), "{file} was not copied");
    }
}

#[test]
fn drafts_and_scheduled_items_are_not_published_unless_asked() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    assert!(!out.join("resources/secret-draft").exists());
    assert!(!out.join("news/later").exists());
    let all = read_tree(&out);
    assert!(all.values().all(|b| !String::from_utf8_lossy(b).contains("Unfinished resource")));
    let out2 = dir.path().join("preview");
    build(&site, &out2, &["--drafts"]);
    assert!(out2.join("resources/secret-draft/index.html").exists());
    let out3 = dir.path().join("january");
    let o = stave(&["build", "--root", site.to_str().unwrap(), "--out", out3.to_str().unwrap(), "--now", "2027-01-10"]);
    assert!(o.status.success());
    assert!(out3.join("news/later/index.html").exists(), "scheduled item appears on its publish date");
}

#[test]
fn aliases_redirect_to_the_new_url() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("old/singing/index.html"));
    let refresh = select(&doc, "meta[http-equiv=refresh]")[0].value().attr("content").unwrap().to_string();
    assert_eq!(refresh, "0; url=https://hub.example.org/schools/resources/singing-guide/");
    assert_eq!(
        select(&doc, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://hub.example.org/schools/resources/singing-guide/")
    );
}

#[test]
fn sitemap_lists_every_page_and_robots_names_it() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    let summary = build(&site, &out, &[]);
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<String> = doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().to_string()).collect();
    let root = "https://hub.example.org/schools/";
    for page in read_tree(&out).keys().filter(|p| p.ends_with("index.html") && !p.starts_with("old/")) {
        let url = format!("{root}{}", page.trim_end_matches("index.html"));
        assert!(locs.contains(&url), "{url} missing from sitemap");
    }
    for loc in &locs {
        let rel = loc.strip_prefix(root).expect("absolute URL under base");
        assert!(out.join(rel).join("index.html").exists(), "sitemap names missing page {loc}");
    }
    assert!(locs.contains(&format!("{root}about/the-team/")), "slug respected");
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.lines().any(|l| l == format!("Sitemap: {root}sitemap.xml")));
    // Under a sub-path that robots.txt is never read: the summary says, once, what line to
    // add to the host's own; a site at the host's root is not told.
    let sitemap_line = format!("    Sitemap: {root}sitemap.xml");
    assert_eq!(summary.lines().filter(|l| *l == sitemap_line).count(), 1, "{summary}");
    assert!(summary.contains("https://hub.example.org/robots.txt"), "{summary}");
    let at_root = build(&site, &dir.path().join("at-root"), &["--base-url", "https://schools.example.org/"]);
    assert!(!at_root.contains("robots.txt") && !at_root.contains("Sitemap:"), "{at_root}");
    // The 404 page is served at every missing address: no canonical link, never indexed.
    let not_found = html(&out.join("404.html"));
    assert!(select(&not_found, "link[rel=canonical]").is_empty() && select(&not_found, "meta[property='og:url']").is_empty());
    assert_eq!(select(&not_found, "meta[name=robots]").first().and_then(|m| m.value().attr("content")), Some("noindex"));
    let about = html(&out.join("about/index.html"));
    assert_eq!(hrefs(&about, "link[rel=canonical]"), [format!("{root}about/")], "other pages keep theirs");
}

#[test]
fn theme_overrides_replace_single_templates() {
    let (dir, site) = fixture("basic");
    use_theme(&site, "custom");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("about/the-team/index.html"));
    assert_eq!(select(&doc, "h1.custom-page").len(), 1, "overridden page.html used");
    let list = html(&out.join("news/index.html"));
    assert_eq!(select(&list, ".site-header").len(), 1, "other templates still the default");
}

#[test]
fn cached_partials_can_be_overridden_and_follow_each_page() {
    let (dir, site) = fixture("basic");
    let partials = use_theme(&site, "partials").join("partials");
    std::fs::create_dir_all(&partials).unwrap();
    std::fs::write(
        partials.join("card.html"),
        "<div class=\"my-card\" data-level=\"{{ level }}\"><a href=\"{{ item.href }}\">{{ item.title }}</a></div>\n",
    )
    .unwrap();
    std::fs::write(partials.join("footer.html"), "<footer class=\"my-footer\"><p>{{ site.title }} footer</p></footer>\n").unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    // Cards: the override, at the heading level each list asks for, on every list.
    let resources = html(&out.join("resources/index.html"));
    let cards = select(&resources, "ul.cards > li > div.my-card");
    assert_eq!(cards.len(), 2);
    assert!(cards.iter().all(|c| c.value().attr("data-level") == Some("2")));
    let phase = html(&out.join("phase/primary/index.html"));
    assert!(select(&phase, "ul.cards > li > div.my-card").iter().all(|c| c.value().attr("data-level") == Some("3")));
    assert!(select(&phase, "article.card").is_empty(), "no default card left");
    // The footer: the override on every page.
    for page in ["index.html", "news/hello/index.html", "404.html"] {
        let doc = html(&out.join(page));
        assert_eq!(text(&select(&doc, "footer.my-footer")[0]), "Testvale Music Hub footer", "{page}");
    }
    // The header is shared too, but marks each page's own section.
    let news = html(&out.join("news/hello/index.html"));
    let current: Vec<_> = select(&news, ".site-nav a[aria-current]").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(current, ["/schools/news/"]);
    let news_list = html(&out.join("news/index.html"));
    let here = select(&news_list, ".site-nav a[aria-current=page]");
    assert_eq!(here.len(), 1);
    assert_eq!(here[0].value().attr("href"), Some("/schools/news/"));
    assert!(select(&html(&out.join("about/the-team/index.html")), ".site-nav a[aria-current]").is_empty());
}

#[test]
fn check_validates_without_writing() {
    let (_dir, site) = fixture("basic");
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.join("public").exists());
}

#[test]
fn a_root_index_md_is_the_home_page_text() {
    let (dir, site) = fixture("basic");
    std::fs::rename(site.join("content/_index.md"), site.join("content/index.md")).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("index.html"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Welcome to Testvale");
    assert!(text(&select(&doc, "main")[0]).contains("Everything for music in Testvale schools."));
}

/// Every page's markup as a string, for checks of the minified output.
fn head_markup(path: &std::path::Path) -> String {
    let doc = html(path);
    select(&doc, "head")[0].html()
}

/// A theme nobody on the team wrote: `<pre>`, `{% raw %}`, an attribute set by `{% if %}` and
/// inline JSON come out as written, with `minify_html` on or off.
#[test]
fn a_theme_of_its_own_comes_out_as_written_minified_or_not() {
    for minify in [false, true] {
        let (dir, site) = fixture("basic");
        let templates = use_theme(&site, "own");
        std::fs::write(
            templates.join("page.html"),
            concat!(
                "{% extends \"base.html\" %}\n{% block main %}\n<article class=\"prose\">\n",
                "  <h1 class=\"own\"{% if page.title %} data-title=\"{{ page.title }}\"{% endif %}>\n    {{ page.title }}\n  </h1>\n",
                "  <pre class=\"verse\">  two spaces\n    four spaces\n</pre>\n",
                "  <p class=\"raw\">{% raw %}{{ not a variable }} {% endraw %}</p>\n",
                "  <script type=\"application/json\" id=\"data\">{\"title\": {{ page.title | json_encode | safe }}, \"n\": [1, 2]}</script>\n",
                "  {{ content.html | safe }}\n</article>\n{% endblock main %}\n"
            ),
        )
        .unwrap();
        if minify {
            let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
            std::fs::write(site.join("site.yaml"), format!("{yaml}\nminify_html: true\n")).unwrap();
        }
        let out = dir.path().join("public");
        build(&site, &out, &[]);
        let path = out.join("about/the-team/index.html");
        let team = html(&path);
        let h1 = &select(&team, "h1.own")[0];
        assert_eq!(h1.value().attr("data-title"), Some(text(h1).trim()), "minify_html: {minify}");
        let exact = |css: &str| select(&team, css)[0].text().collect::<String>();
        assert_eq!(exact("pre.verse"), "  two spaces\n    four spaces\n", "minify_html: {minify}");
        assert_eq!(text(&select(&team, "p.raw")[0]), "{{ not a variable }}", "minify_html: {minify}");
        let json: serde_json::Value = serde_json::from_str(&exact("script#data")).unwrap();
        assert_eq!(json["title"].as_str(), Some(text(h1).trim()), "minify_html: {minify}");
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(!raw.contains("&#x2F;"), "slashes escaped");
        assert_eq!(!head_markup(&path).contains('\n'), minify, "the head is minified exactly when site.yaml asks");
    }
}
