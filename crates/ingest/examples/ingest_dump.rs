//! Prints what the reader makes of a file: `cargo run -p tinhgon-ingest --example ingest_dump -- FILE [--blocks]`.

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: ingest_dump FILE [--blocks]"))?;
    let blocks = args.next().as_deref() == Some("--blocks");
    let doc =
        tinhgon_ingest::read_file(std::path::Path::new(&path), tinhgon_ingest::DEFAULT_LIMIT)?;
    if blocks {
        for b in &doc.blocks {
            match b {
                tinhgon_ingest::Block::Paragraph(p) => println!(
                    "P{:>4} {}{}{}{}",
                    p.line,
                    if p.bold { "B" } else { "" },
                    if p.centered { "C" } else { "" },
                    p.heading.map(|h| format!("H{h} ")).unwrap_or_default(),
                    p.full_text()
                ),
                tinhgon_ingest::Block::Table(t) => {
                    println!("T{:>4} layout={} rows={}", t.line, t.layout, t.rows.len());
                    for r in &t.rows {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| {
                                format!(
                                    "{}{}{}",
                                    if c.merged_above { "^" } else { "" },
                                    if c.span > 1 {
                                        format!("<{}>", c.span)
                                    } else {
                                        String::new()
                                    },
                                    c.text().replace('\n', " / ")
                                )
                            })
                            .collect();
                        println!(
                            "   {}{}",
                            if r.header { "H " } else { "" },
                            cells.join(" | ")
                        );
                    }
                }
            }
        }
    } else {
        for (i, l) in doc.lines.iter().enumerate() {
            println!("{i:>4} {l}");
        }
    }
    for w in &doc.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}
