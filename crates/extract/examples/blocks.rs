//! Prints a document's lines and blocks as the readers give them (development aid).

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: blocks FILE");
        std::process::exit(2);
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("lỗi: không đọc được {path}");
        std::process::exit(2);
    };
    match tinhgon_ingest::read(&bytes, Some(&path)) {
        Ok(doc) => {
            for (i, l) in doc.lines.iter().enumerate() {
                println!("{:4} {l}", i + 1);
            }
            println!("---- blocks");
            for b in &doc.blocks {
                match b {
                    tinhgon_ingest::Block::Paragraph(p) => {
                        println!("P{:4} {:?}", p.line + 1, p.full_text())
                    }
                    tinhgon_ingest::Block::Table(t) => {
                        println!(
                            "T{:4} layout={} rows={}",
                            t.line + 1,
                            t.layout,
                            t.rows.len()
                        );
                        for r in &t.rows {
                            let cells: Vec<String> = r
                                .cells
                                .iter()
                                .map(|c| {
                                    format!(
                                        "[{}{}]{:?}",
                                        c.span,
                                        if c.merged_above { "^" } else { "" },
                                        c.text()
                                    )
                                })
                                .collect();
                            println!("   {}", cells.join(" "));
                        }
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("lỗi: {e}");
            std::process::exit(2);
        }
    }
}
