//! Static assets compiled into the binary: the server needs no files and calls no CDN.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &[u8] = include_bytes!("../assets/app.css");
const JS: &[u8] = include_bytes!("../assets/app.js");

/// Version tag in asset URLs: a hash of the assets themselves, so a browser never keeps a
/// stale cached stylesheet after an upgrade (the pages' classes and the CSS change together,
/// and the pages carry no inline style to fall back on).
pub const VERSION: &str = match std::str::from_utf8(&HASH_HEX) {
    Ok(s) => s,
    Err(_) => env!("CARGO_PKG_VERSION"),
};

/// FNV-1a, computed at compile time.
const fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

const HASH: u64 = fnv(JS, fnv(CSS, 0xcbf2_9ce4_8422_2325));

const HASH_HEX: [u8; 16] = {
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        let d = ((HASH >> (60 - 4 * i)) & 0xf) as u8;
        out[i] = if d < 10 { b'0' + d } else { b'a' + d - 10 };
        i += 1;
    }
    out
};

/// Serves `/assets/{version}/{name}` with a year-long cache (the URL changes with the version).
pub async fn serve(Path((_v, name)): Path<(String, String)>) -> Response {
    let (body, ctype) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_version_is_a_hash_of_the_assets() {
        assert_eq!(VERSION.len(), 16);
        assert!(VERSION.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(fnv(b"a", 1), fnv(b"b", 1));
    }

    /// Every colour a page may give a `data-tone` attribute has its rule in the stylesheet
    /// (a missing one would leave a card or tag grey, silently).
    #[test]
    fn every_tone_a_page_can_use_is_in_the_stylesheet() {
        use tinhgon_domain::class::StatusClass;
        let css = std::str::from_utf8(CSS).unwrap();
        let mut tones: Vec<String> = StatusClass::ALL
            .iter()
            .map(|c| c.color().to_string())
            .collect();
        tones.extend(
            crate::lineage_svg::legend()
                .iter()
                .map(|(c, _)| c.to_string()),
        );
        tones.extend(["#9e9e9e".to_string(), "#78909c".into()]);
        // The tones written literally in templates.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for part in text.split("data-tone=\"#").skip(1) {
                tones.push(format!("#{}", &part[..6]));
            }
        }
        assert!(tones.len() > 15);
        for t in tones {
            assert!(
                css.contains(&format!("[data-tone=\"{t}\"]")),
                "no rule for {t}"
            );
        }
    }
}
