//! The content security policy allows neither inline script nor inline style, and no page
//! needs them: every page reachable by following links as each role is fetched, and none
//! carries a `style` attribute, a `<style>` element, an inline `<script>` or an inline event
//! handler (which the policy would block, breaking the page).

mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use common::{publish_615, signed_in, Client};

/// Same-site links of a page worth following (pages, not downloads or actions).
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in body.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end].replace("&amp;", "&");
        let path = href.split('#').next().unwrap_or("").to_string();
        let skip = !path.starts_with('/')
            || path.starts_with("//")
            || path.starts_with("/api")
            || path.starts_with("/assets")
            || path.starts_with("/evidence")
            || path.starts_with("/calendar/")
            || [".xlsx", ".docx", ".csv", ".ics", ".pdf", ".json"]
                .iter()
                .any(|x| path.split('?').next().unwrap_or("").ends_with(x));
        if !skip {
            out.push(path);
        }
    }
    out
}

/// What on `body` the policy would refuse to apply.
fn inline_parts(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = body.to_lowercase();
    if lower.contains("style=\"") || lower.contains("style='") {
        let i = lower.find("style=").unwrap_or(0);
        found.push(format!(
            "style attribute: …{}…",
            &body[i.saturating_sub(60)..(i + 60).min(body.len())]
        ));
    }
    if lower.contains("<style") {
        found.push("<style> element".into());
    }
    for (i, _) in lower.match_indices("<script") {
        let tag_end = lower[i..].find('>').map_or(lower.len(), |e| i + e);
        let tag = &lower[i..tag_end];
        let empty = lower[tag_end + 1..].starts_with("</script>");
        if !tag.contains(" src=") || !empty {
            found.push(format!("inline script: {}", &body[i..tag_end.min(i + 120)]));
        }
    }
    for attr in [
        " onclick=",
        " onload=",
        " onchange=",
        " onsubmit=",
        " oninput=",
        " onerror=",
        " onfocus=",
    ] {
        if lower.contains(attr) {
            found.push(format!("inline handler{attr}"));
        }
    }
    found
}

#[test]
fn the_checker_finds_what_the_policy_refuses() {
    assert_eq!(
        inline_parts("<p class=\"a\">x</p><script src=\"/a.js\" defer></script>").len(),
        0
    );
    assert_eq!(inline_parts("<b style=\"width:3%\"></b>").len(), 1);
    assert_eq!(inline_parts("<style>p{}</style>").len(), 1);
    assert_eq!(inline_parts("<script>alert(1)</script>").len(), 1);
    assert_eq!(
        inline_parts("<script src=\"/a.js\">alert(1)</script>").len(),
        1
    );
    assert_eq!(inline_parts("<input onclick=\"this.select()\">").len(), 1);
}

#[tokio::test]
async fn the_policy_forbids_inline_code_and_no_page_of_any_role_uses_it() {
    let app = common::app().await;
    publish_615(&app).await;
    let mut anon = Client::new(&app);
    let req = axum::http::Request::get("/login")
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let login = anon.get("/login").await;
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(
        inline_parts(&login.body).is_empty(),
        "/login: {:?}",
        inline_parts(&login.body)
    );

    let mut pages = 0;
    for login in ["quantri", "sonoivu", "lanhdao", "sotuphap"] {
        let mut c = signed_in(&app, login).await;
        let mut queue: VecDeque<String> =
            ["/", "/dashboard", "/inbox", "/public", "/units/lineage"]
                .into_iter()
                .map(String::from)
                .collect();
        let mut seen = BTreeSet::new();
        // Pages of one kind differ only by their data: a sample of each is enough.
        let mut per_kind: std::collections::HashMap<String, usize> = Default::default();
        while let Some(path) = queue.pop_front() {
            if seen.len() >= 90 || !seen.insert(path.clone()) {
                continue;
            }
            let kind: String = path
                .split('?')
                .next()
                .unwrap_or("")
                .split('/')
                .map(|s| {
                    if s.chars().all(|c| c.is_ascii_digit()) {
                        "#"
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let n = per_kind.entry(kind).or_default();
            *n += 1;
            if *n > 3 {
                continue;
            }
            let r = c.get(&path).await;
            if r.status.is_redirection() {
                if let Some(to) = r.location.clone() {
                    queue.push_back(to);
                }
                continue;
            }
            if r.status != StatusCode::OK || !r.body.contains("<html") {
                continue;
            }
            pages += 1;
            let bad = inline_parts(&r.body);
            assert!(bad.is_empty(), "{login} {path}: {bad:?}");
            queue.extend(links(&r.body));
        }
    }
    assert!(pages > 80, "only {pages} pages walked");
}
