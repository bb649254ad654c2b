//! Prints the plan draft of a file as JSON (development aid).

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("lỗi: {e}");
            std::process::exit(2);
        }
    };
    match tinhgon_extract::extract_bytes(&bytes, Some(&path)) {
        Ok(d) => println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default()),
        Err(e) => {
            eprintln!("lỗi: {e}");
            std::process::exit(2);
        }
    }
}
