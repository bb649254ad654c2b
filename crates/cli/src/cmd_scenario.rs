//! `tinhgon registry scenario …`: scenarios (phương án sắp xếp) — a named draft set of
//! restructuring events, shown beside today and applied with its deciding document.

use clap::Subcommand;
use tinhgon_app::restructuring::EventForm;
use tinhgon_app::scenarios::{self, DecisionForm, ScenarioForm, Side};
use tinhgon_app::units::Actor;

use crate::cmd_registry::{open, operator, pairs, Common};

/// `tinhgon registry scenario …`.
#[derive(Subcommand)]
pub enum ScenarioCommand {
    /// Liệt kê các phương án của tỉnh.
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Tạo phương án mới.
    Create {
        /// Tên phương án.
        name: String,
        /// Ghi chú.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Thêm một sự kiện sắp xếp vào phương án (chưa ghi nhận, chưa áp dụng).
    Add {
        /// Mã phương án.
        scenario: i64,
        /// Loại: merge, consolidate, split, dissolve, transfer, rename.
        #[arg(long)]
        kind: String,
        /// Đơn vị trước sắp xếp (ghi nhiều lần cho nhiều đơn vị).
        #[arg(long = "from", required = true)]
        from: Vec<String>,
        /// Đơn vị hiện có sau sắp xếp.
        #[arg(long = "into")]
        into: Vec<String>,
        /// Tên đơn vị mới sau sắp xếp.
        #[arg(long = "new")]
        new: Vec<String>,
        /// Ngày hiệu lực dự kiến (YYYY-MM-DD hoặc dd/mm/yyyy).
        #[arg(long)]
        effective: String,
        /// Đơn vị tiếp nhận phần còn lại của một đơn vị chấm dứt: "ĐƠN VỊ=ĐƠN VỊ TIẾP NHẬN".
        #[arg(long = "heir")]
        heirs: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// In phương án bên cạnh hiện nay (áp dụng thử rồi hoàn tác, không ghi gì).
    Show {
        /// Mã phương án.
        scenario: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Áp dụng phương án theo quyết định, trong một giao dịch.
    Apply {
        /// Mã phương án.
        scenario: i64,
        /// Số văn bản quyết định.
        #[arg(long)]
        decision: String,
        /// Ngày ban hành quyết định.
        #[arg(long, default_value = "")]
        decision_date: String,
        /// Cơ quan ban hành quyết định.
        #[arg(long, default_value = "")]
        issuer: String,
        #[command(flatten)]
        common: Common,
    },
}

fn print_side(title: &str, s: &Side) {
    println!("{title} (ngày {}):", s.day.format("%d/%m/%Y"));
    println!(
        "  {} sở và tương đương; {} xã, phường, đặc khu; {} vi phạm quy định; {} lĩnh vực chưa có đơn vị; {} lĩnh vực trùng lặp.",
        s.departments,
        s.communes,
        s.violations.len(),
        s.gaps.len(),
        s.overlaps.len()
    );
    for t in &s.staffing {
        println!("  {}: {}", t.label, t.count);
    }
    for v in &s.violations {
        println!("  Vi phạm: {}: {} ({})", v.subject, v.message, v.citation);
    }
}

/// Runs a scenario command.
pub async fn run(c: ScenarioCommand) -> anyhow::Result<()> {
    let op = operator();
    let actor = Actor::Operator(op.as_deref());
    match c {
        ScenarioCommand::List { common } => {
            let (db, p) = open(&common).await?;
            for s in scenarios::list(&db, actor, p).await? {
                let state = match (&s.applied_at, &s.decision) {
                    (Some(_), Some(d)) => format!("Đã áp dụng theo {d}"),
                    (Some(_), None) => "Đã áp dụng".to_string(),
                    _ => "Dự thảo".to_string(),
                };
                println!("{}\t{}\t{state}", s.id, s.name);
            }
            db.close().await;
        }
        ScenarioCommand::Create { name, note, common } => {
            let (db, p) = open(&common).await?;
            let id = scenarios::create(&db, actor, p, &ScenarioForm { name, note }).await?;
            println!("Đã tạo phương án (mã {id}).");
            db.close().await;
        }
        ScenarioCommand::Add {
            scenario,
            kind,
            from,
            into,
            new,
            effective,
            heirs,
            common,
        } => {
            let (db, p) = open(&common).await?;
            let form = EventForm {
                kind,
                from,
                into,
                new,
                effective,
                units: pairs("heir", &heirs)?,
                ..EventForm::default()
            };
            scenarios::add_event(&db, actor, p, scenario, &form).await?;
            println!("Đã thêm sự kiện vào phương án {scenario}.");
            db.close().await;
        }
        ScenarioCommand::Show { scenario, common } => {
            let (db, p) = open(&common).await?;
            let v = scenarios::view(&db, actor, p, scenario).await?;
            db.close().await;
            println!("{}", v.scenario.name);
            for (i, d) in v.drafts.iter().enumerate() {
                println!(
                    "  Sự kiện {}: {} {} → {}{}",
                    i + 1,
                    d.kind,
                    d.from,
                    if d.to.is_empty() { "—" } else { &d.to },
                    d.effective
                        .map(|e| format!(" (hiệu lực {})", e.format("%d/%m/%Y")))
                        .unwrap_or_default()
                );
            }
            for m in &v.problems {
                println!("  Chưa thể áp dụng: {m}");
            }
            print_side("Hiện nay", &v.today);
            if let Some(a) = &v.after {
                print_side("Sau phương án", a);
                for m in &v.moves {
                    println!("  {} nhiệm vụ đang thực hiện chuyển sang {}", m.count, m.to);
                }
            }
        }
        ScenarioCommand::Apply {
            scenario,
            decision,
            decision_date,
            issuer,
            common,
        } => {
            let (db, p) = open(&common).await?;
            let form = DecisionForm {
                decision,
                decision_date,
                decision_issuer: issuer,
            };
            let done = scenarios::apply(&db, actor, p, scenario, &form).await?;
            db.close().await;
            for (_, r) in &done.events {
                match &r.applied {
                    Some(x) => println!(
                        "Sự kiện {} đã áp dụng: {} nhiệm vụ chuyển sang đơn vị kế thừa.",
                        r.event_id, x.assignments
                    ),
                    None => println!("Sự kiện {} chờ đến ngày hiệu lực.", r.event_id),
                }
            }
            println!("Đã áp dụng phương án {scenario}.");
        }
    }
    Ok(())
}
