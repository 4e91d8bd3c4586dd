//! The CI file `stave init --ci … --host …` writes: it checks every pull request, and builds
//! and publishes the site from the main branch and every morning, to GitHub or GitLab Pages,
//! Netlify or Cloudflare Pages.
//!
//! One template per CI service (`github-workflow.yml`, `gitlab-ci.yml`) holds every host: lines
//! between `#if HOST…` and `#end` are kept only for the hosts named. Publishing to Netlify or
//! Cloudflare also goes through CI, with their command-line tools: their own build machines
//! have no Stave, and CI keeps the installed Stave, the daily build and the checks on the
//! pull request's lines.

use crate::error::Diagnostic;
use crate::urls::slugify;

/// Where a new site's checks and publishing run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions.
    Github,
    /// GitLab CI.
    Gitlab,
    /// Neither: no CI file.
    None,
}

/// Where the site is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Host {
    /// GitHub Pages or GitLab Pages, whichever goes with the CI.
    Pages,
    /// Netlify, by its command-line tool from CI.
    Netlify,
    /// Cloudflare Pages, by its command-line tool (wrangler) from CI.
    Cloudflare,
}

/// Writes `public/_headers` (read by Netlify and Cloudflare Pages): the theme's CSS and
/// JavaScript carry a hash of their content in their names, so browsers may keep them a year.
pub const HEADERS_COMMAND: &str = "(cd public && for f in assets/*.????????.css assets/*.????????.js; do \
     printf '/%s\\n  Cache-Control: public, max-age=31536000, immutable\\n' \"$f\"; done > _headers)";
/// Installs the Stave of STAVE_VERSION and STAVE_REV into `$CARGO_HOME/bin`: the release's
/// binary (its installer checks the checksum) when that release was built from STAVE_REV,
/// else built from source at STAVE_REV. STAVE_DOWNLOAD_URL, when set, names another place
/// for the release's files (a mirror; the tests' local folder).
pub const INSTALL_COMMAND: &str = r#"bin="${CARGO_HOME:-$HOME/.cargo}/bin"
release="${STAVE_DOWNLOAD_URL:-$STAVE_REPOSITORY/releases/download/v$STAVE_VERSION}"
if { curl -fsSL "$release/install.sh" -o /tmp/stave-install.sh || wget -qO /tmp/stave-install.sh "$release/install.sh"; } \
  && STAVE_DOWNLOAD_URL="$release" STAVE_INSTALL_DIR="$bin" sh /tmp/stave-install.sh \
  && { [ "$STAVE_REV" = "v$STAVE_VERSION" ] || "$bin/stave" --version | grep -qF "(commit $STAVE_REV)"; }; then
  echo "Installed the release of Stave $STAVE_VERSION"
else
  echo "No release of Stave $STAVE_VERSION built from $STAVE_REV here: building it from source (about 8 minutes)"
  cargo install --locked --force --git "$STAVE_REPOSITORY" --rev "$STAVE_REV" stave
fi"#;
/// Publishes `public/` as the Netlify site's live version (NETLIFY_SITE_ID, NETLIFY_AUTH_TOKEN).
pub const NETLIFY_COMMAND: &str = "npx --yes netlify-cli@27 deploy --dir public --prod --no-build";
/// Publishes `public/` as the Cloudflare Pages project's production version.
pub const CLOUDFLARE_COMMAND: &str =
    "npx --yes wrangler@4 pages deploy public --project-name \"$CLOUDFLARE_PROJECT\" --branch main --commit-dirty=true";

impl Host {
    fn id(self) -> &'static str {
        match self {
            Host::Pages => "pages",
            Host::Netlify => "netlify",
            Host::Cloudflare => "cloudflare",
        }
    }

    /// The address a site called `name` gets on this host, when the host decides it.
    pub fn default_base_url(self, name: &str) -> Option<String> {
        match self {
            Host::Pages => None,
            Host::Netlify => Some(format!("https://{name}.netlify.app/")),
            Host::Cloudflare => Some(format!("https://{name}.pages.dev/")),
        }
    }
}

/// The name a new site goes by on its host: its folder's name as a slug.
pub fn site_name(folder: &str) -> String {
    let name: String = slugify(folder).chars().take(40).collect();
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "my-hub".to_string()
    } else {
        name.to_string()
    }
}

/// Refuses a host that needs a CI service to publish from when there is none.
pub fn check_choice(ci: Ci, host: Host) -> Result<(), Diagnostic> {
    if ci == Ci::None && host != Host::Pages {
        return Err(Diagnostic::file_error(
            "--host",
            format!("publishing to {} runs in CI: choose --ci github or --ci gitlab with it", host.id()),
        ));
    }
    Ok(())
}

/// The Stave a generated CI file installs: this one's repository, at the commit it was built
/// from (or its release tag, when that is not known).
fn stave_source() -> (String, String) {
    let commit = env!("STAVE_COMMIT");
    let rev = if commit == "unknown" { format!("v{}", env!("CARGO_PKG_VERSION")) } else { commit.to_string() };
    (env!("CARGO_PKG_REPOSITORY").to_string(), rev)
}

/// The CI file for `ci` and `host`, with its path in the site, for a site called `name`.
pub fn ci_file(ci: Ci, host: Host, name: &str) -> Option<(&'static str, String)> {
    let (path, template) = match ci {
        Ci::Github => (".github/workflows/site.yml", include_str!("github-workflow.yml")),
        Ci::Gitlab => (".gitlab-ci.yml", include_str!("gitlab-ci.yml")),
        Ci::None => return None,
    };
    let (repository, rev) = stave_source();
    let text = indented(&keep_host(template, host), "__INSTALL__", INSTALL_COMMAND)
        .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
        .replace("__REPOSITORY__", &repository)
        .replace("__REV__", &rev)
        .replace("__NAME__", name)
        .replace("__HEADERS__", HEADERS_COMMAND)
        .replace("__NETLIFY_DEPLOY__", NETLIFY_COMMAND)
        .replace("__CLOUDFLARE_DEPLOY__", CLOUDFLARE_COMMAND);
    Some((path, text))
}

/// `template` with each line that is `placeholder` alone (after its indent) replaced by the
/// lines of `block`, each with that indent.
fn indented(template: &str, placeholder: &str, block: &str) -> String {
    let mut out = String::with_capacity(template.len() + block.len());
    for line in template.lines() {
        match line.trim_start() == placeholder {
            true => {
                let indent = &line[..line.len() - line.trim_start().len()];
                for b in block.lines() {
                    out.push_str(indent);
                    out.push_str(b);
                    out.push('\n');
                }
            }
            false => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The template's lines for `host`: a `#if a b` … `#end` block is kept only when `host` is
/// among the names after `#if`; the marker lines themselves go.
fn keep_host(template: &str, host: Host) -> String {
    let mut keep = true;
    let mut out = String::with_capacity(template.len());
    for line in template.lines() {
        if let Some(hosts) = line.strip_prefix("#if ") {
            keep = hosts.split_whitespace().any(|h| h == host.id());
        } else if line == "#end" {
            keep = true;
        } else if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What to do after `stave init DIR` to publish the site.
pub fn next_steps(ci: Ci, host: Host, dir: &std::path::Path) -> String {
    let (place, file) = match ci {
        Ci::Github => ("GitHub", ".github/workflows/site.yml"),
        Ci::Gitlab => ("GitLab", ".gitlab-ci.yml"),
        Ci::None => return String::new(),
    };
    let name = site_name(&dir.file_name().unwrap_or_default().to_string_lossy());
    match (ci, host.default_base_url(&name)) {
        (Ci::Github, None) => {
            "To publish: put the folder on GitHub, set the repository's Settings → Pages → \"Source\" to \"GitHub Actions\",\n\
             then re-run the workflow's first run in the Actions tab (the README's \"Start your own site\" has the steps)."
                .into()
        }
        (_, None) => "To publish: put the folder on GitLab; the pipeline publishes it with GitLab Pages.".into(),
        (_, Some(url)) => format!(
            "To publish: put the folder on {place} and do the three steps at the top of {file}.\n\
             site.yaml's base_url says the site will be at {url}: change it if you name the site otherwise."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_kept_for_their_hosts_only() {
        let t = "a\n#if pages\np\n#end\n#if netlify cloudflare\nn\n#end\nz\n";
        assert_eq!(keep_host(t, Host::Pages), "a\np\nz\n");
        assert_eq!(keep_host(t, Host::Netlify), "a\nn\nz\n");
        assert_eq!(keep_host(t, Host::Cloudflare), "a\nn\nz\n");
    }

    #[test]
    fn names_are_slugs_and_never_empty() {
        assert_eq!(site_name("My Hub"), "my-hub");
        assert_eq!(site_name("Brass & Wind/"), "brass-wind");
        assert_eq!(site_name("…"), "my-hub");
    }

    #[test]
    fn no_template_marker_is_left() {
        for ci in [Ci::Github, Ci::Gitlab] {
            for host in [Host::Pages, Host::Netlify, Host::Cloudflare] {
                let (_, text) = ci_file(ci, host, "hub").unwrap();
                assert!(!text.contains("__") && !text.contains("#if ") && !text.contains("#end"), "{ci:?} {host:?}:\n{text}");
            }
        }
    }
}
