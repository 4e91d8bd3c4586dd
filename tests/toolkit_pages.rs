//! The toolkit's tools as built pages (what the browser tests in tests/tools.rs then use): the
//! self-review is a complete form from `audit.yaml`, with the support to signpost embedded; the
//! plan builder is the DfE template's fields with the hub's name filled in.

mod common;
use common::*;

const AUDIT: &str = "title: Music check-up\nintro: Rate each statement.\nscale:\n  - {id: not-yet, label: Not yet}\n  - {id: partly, label: Partly}\n  - {id: fully, label: Fully}\nsections:\n  - id: voice\n    title: Singing\n    topics: [singing]\n    statements:\n      - {id: daily, text: \"Every class sings every day.\", focus: implementation, guidance: \"Count assemblies too.\"}\n      - {id: choir, text: \"The school has a choir.\", focus: intent}\n  - id: making\n    title: Composing\n    topics: [composition]\n    statements:\n      - {id: compose, text: \"Pupils compose their own music.\"}\n";

#[test]
fn the_audit_is_a_complete_form_with_its_signposts() {
    let (dir, site) = fixture("basic");
    std::fs::write(site.join("content/toolkit/audit.yaml"), AUDIT).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("toolkit/audit/index.html"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Music check-up");
    let groups = select(&doc, "form fieldset");
    let legends: Vec<String> =
        groups.iter().map(|g| text(&g.select(&scraper::Selector::parse("legend").unwrap()).next().unwrap())).collect();
    assert_eq!(legends, ["Every class sings every day.", "The school has a choir.", "Pupils compose their own music."]);
    for g in &groups {
        let radios: Vec<_> = g.select(&scraper::Selector::parse("input[type=radio]").unwrap()).collect();
        let values: Vec<_> = radios.iter().map(|r| r.value().attr("value").unwrap()).collect();
        assert_eq!(values, ["not-yet", "partly", "fully"]);
        assert!(radios.iter().all(|r| r.value().attr("name") == radios[0].value().attr("name")), "one group per statement");
        assert_eq!(text(&g.select(&scraper::Selector::parse("label").unwrap()).next().unwrap()), "Not yet");
    }
    let hint = text(&groups[0].select(&scraper::Selector::parse(".audit__hint").unwrap()).next().unwrap());
    assert!(hint.starts_with("Implementation") && hint.ends_with("Count assemblies too."), "{hint}");
    // The script's data: the singing guide is signposted under Singing, nothing under Composing.
    let data = select(&doc, "script#audit-data")[0].text().collect::<String>();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    let singing = &data["sections"][0];
    assert_eq!(singing["title"], "Singing");
    assert_eq!(singing["statements"][1]["name"], "voice--choir");
    let resources: Vec<&str> = singing["resources"].as_array().unwrap().iter().map(|r| r["href"].as_str().unwrap()).collect();
    assert_eq!(resources, ["/schools/resources/singing-guide/"]);
    assert!(out.join("resources/singing-guide/index.html").exists());
    assert_eq!(data["sections"][1]["resources"].as_array().unwrap().len(), 0);
    // Linked from the toolkit's list and the home page; listed in the sitemap.
    assert!(hrefs(&html(&out.join("toolkit/index.html")), "a").contains(&"/schools/toolkit/audit/".to_string()));
    assert!(hrefs(&html(&out.join("index.html")), "a").contains(&"/schools/toolkit/audit/".to_string()));
    assert!(std::fs::read_to_string(out.join("sitemap.xml")).unwrap().contains("/schools/toolkit/audit/"));
}

#[test]
fn the_plan_builder_has_the_dfe_fields_and_the_hubs_name() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("toolkit/plan/index.html"));
    let label_of = |id: &str| text(&select(&doc, &format!("label[for={id}]"))[0]);
    assert_eq!(label_of("plan-year"), "Academic year that this summary covers");
    assert_eq!(label_of("plan-lead"), "Name of the school music lead");
    assert_eq!(select(&doc, "#plan-hub")[0].value().attr("value"), Some("Testvale Music Hub"));
    for part in ["Part A: Curriculum music", "Part B: Co-curricular music", "Part C: Musical experiences", "In the future"] {
        assert!(select(&doc, "h2").iter().any(|h| text(h) == part), "{part}");
    }
    assert_eq!(select(&doc, "input[name=feature]").len(), 7, "the NPME key features as a checklist");
    // Without an audit.yaml there is no self-review page, and nothing links to one.
    assert!(!out.join("toolkit/audit/index.html").exists());
    assert!(select(&doc, "script#audit-data").is_empty());
}
