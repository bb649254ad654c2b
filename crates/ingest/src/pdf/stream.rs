//! Stream decoding with a cap: lopdf inflates without limit, so Flate streams (nearly all
//! content streams) are inflated here through a bounded reader.

use std::io::Read;

use lopdf::{Object, Stream};

use crate::IngestError;

/// Largest decoded stream accepted.
pub const STREAM_CAP: u64 = 32 * 1024 * 1024;

/// The decoded bytes of a stream.
pub fn content(s: &Stream) -> Result<Vec<u8>, IngestError> {
    let filters: Vec<&[u8]> = match s.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.as_slice()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
        _ => Vec::new(),
    };
    let predictor = s
        .dict
        .get(b"DecodeParms")
        .ok()
        .and_then(|p| p.as_dict().ok())
        .and_then(|d| d.get(b"Predictor").ok())
        .and_then(|p| p.as_i64().ok())
        .unwrap_or(1);
    match filters.as_slice() {
        [] => Ok(s.content.clone()),
        [b"FlateDecode"] if predictor <= 1 => inflate(&s.content),
        _ => {
            // Rare in content streams (LZW, ASCII85, predictors): lopdf decodes these.
            let out = s
                .decompressed_content()
                .map_err(|e| IngestError::Corrupt(format!("luồng PDF: {e}")))?;
            if out.len() as u64 > STREAM_CAP {
                return Err(IngestError::Oversized(STREAM_CAP));
            }
            Ok(out)
        }
    }
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    let res = flate2::read::ZlibDecoder::new(data)
        .take(STREAM_CAP + 1)
        .read_to_end(&mut out);
    if out.len() as u64 > STREAM_CAP {
        return Err(IngestError::Oversized(STREAM_CAP));
    }
    match res {
        Ok(_) => Ok(out),
        // A damaged tail still leaves usable text; an unreadable head does not.
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(IngestError::Corrupt(format!("luồng nén PDF hỏng: {e}"))),
    }
}
