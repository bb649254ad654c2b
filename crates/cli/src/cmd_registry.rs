//! `tinhgon registry …`: the register of units (import from CSV, look at it as of a date,
//! change a unit, record a restructuring event with its preview).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use tinhgon_store::Db;

/// Register commands.
#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Nhập danh mục đơn vị từ thư mục có units.csv, mergers.csv, aliases.csv.
    Import {
        /// Thư mục chứa các tệp CSV (ví dụ data/nghe-an-2025).
        dir: PathBuf,
        /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
        #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
        db: String,
    },
    /// Cập nhật danh mục của tỉnh từ tệp mới hơn (.csv, .xlsx): in các khác biệt rồi áp dụng theo văn bản quyết định (--dry-run: chỉ in).
    Update(crate::cmd_registry_update::UpdateArgs),
    /// In các đơn vị còn hiệu lực vào một ngày.
    AsOf {
        /// Tên hoặc mã tỉnh (ví dụ "Nghệ An" hoặc 40).
        province: String,
        /// Ngày (YYYY-MM-DD).
        date: chrono::NaiveDate,
        /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
        #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
        db: String,
    },
    /// Thêm, chuyển, kết thúc một đơn vị; sửa tên gọi khác.
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Ghi nhận sự kiện sắp xếp (sáp nhập, hợp nhất, chia tách, giải thể, chuyển giao, đổi tên).
    #[command(subcommand)]
    Event(EventCommand),
    /// Phương án sắp xếp: tập hợp sự kiện dự kiến, xem bên cạnh hiện nay, áp dụng theo quyết định.
    #[command(subcommand)]
    Scenario(crate::cmd_scenario::ScenarioCommand),
    /// Kiểm tra danh mục theo các quy định (số lượng sở, biên chế tối thiểu, số phó giám đốc), lĩnh vực bỏ trống và trùng lặp; mã thoát 1 khi có.
    Check {
        /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
        #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
        db: String,
        /// Chỉ kiểm tra một tỉnh (mặc định: mọi tỉnh).
        #[arg(long)]
        province: Option<String>,
        /// Ngày kiểm tra (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định hôm nay).
        #[arg(long)]
        as_of: Option<String>,
    },
}

/// Where and on which decision a change is made.
#[derive(clap::Args)]
pub struct Common {
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
    #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
    pub(crate) db: String,
    /// Tỉnh (bỏ trống khi cơ sở dữ liệu chỉ có một tỉnh).
    #[arg(long)]
    pub(crate) province: Option<String>,
}

/// `tinhgon registry unit …`.
#[derive(Subcommand)]
pub enum UnitCommand {
    /// Thêm đơn vị (kể cả chi cục, phòng, đơn vị sự nghiệp, cơ quan trung ương tại địa phương).
    Add {
        /// Tên đơn vị.
        name: String,
        /// Loại: department, sub_department, division, public_service_unit, central_branch, commune, ward, other …
        #[arg(long)]
        kind: String,
        /// Đơn vị cấp trên (tên hoặc mã).
        #[arg(long)]
        parent: String,
        /// Ngày bắt đầu hoạt động (YYYY-MM-DD hoặc dd/mm/yyyy).
        #[arg(long)]
        effective: String,
        /// Số văn bản quyết định.
        #[arg(long)]
        decision: String,
        /// Nhóm tự chủ tài chính 1–4 (đơn vị sự nghiệp công lập, Nghị định 60/2021/NĐ-CP).
        #[arg(long, default_value = "")]
        autonomy_group: String,
        /// Mã đơn vị (nếu có).
        #[arg(long, default_value = "")]
        code: String,
        /// Tên gọi khác (có thể ghi nhiều lần).
        #[arg(long = "alias")]
        aliases: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Đổi tên đơn vị (một sự kiện đổi tên: tên mới có hiệu lực từ ngày quyết định).
    Rename {
        /// Đơn vị (tên hoặc mã).
        unit: String,
        /// Tên mới.
        #[arg(long)]
        to: String,
        /// Ngày hiệu lực.
        #[arg(long)]
        effective: String,
        /// Số văn bản quyết định.
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        common: Common,
    },
    /// Chuyển đơn vị về trực thuộc đơn vị khác.
    Move {
        /// Đơn vị (tên hoặc mã).
        unit: String,
        /// Đơn vị cấp trên mới.
        #[arg(long)]
        parent: String,
        /// Ngày hiệu lực.
        #[arg(long)]
        effective: String,
        /// Số văn bản quyết định.
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        common: Common,
    },
    /// Kết thúc hoạt động của đơn vị không còn nhiệm vụ đang thực hiện.
    Close {
        /// Đơn vị (tên hoặc mã).
        unit: String,
        /// Ngày đầu tiên đơn vị không còn hoạt động.
        #[arg(long)]
        effective: String,
        /// Số văn bản quyết định.
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        common: Common,
    },
    /// Thêm (hoặc bỏ, với --remove) một tên gọi khác của đơn vị.
    Alias {
        /// Đơn vị (tên hoặc mã).
        unit: String,
        /// Tên gọi khác.
        alias: String,
        /// Bỏ tên gọi khác này.
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        common: Common,
    },
}

/// An event's units, dates and decision.
#[derive(clap::Args)]
pub struct EventArgs {
    /// Đơn vị trước sắp xếp (ghi nhiều lần cho nhiều đơn vị).
    #[arg(long = "from", required = true)]
    from: Vec<String>,
    /// Đơn vị hiện có sau sắp xếp.
    #[arg(long = "into")]
    into: Vec<String>,
    /// Tên đơn vị mới sau sắp xếp.
    #[arg(long = "new")]
    new: Vec<String>,
    /// Loại đơn vị mới (mặc định: loại của đơn vị trước sắp xếp đầu tiên).
    #[arg(long, default_value = "")]
    kind: String,
    /// Ngày hiệu lực (YYYY-MM-DD); ngày sau hôm nay thì sự kiện chờ đến ngày đó.
    #[arg(long)]
    effective: String,
    /// Số văn bản quyết định.
    #[arg(long)]
    decision: String,
    /// Ngày ban hành quyết định.
    #[arg(long, default_value = "")]
    decision_date: String,
    /// Cơ quan ban hành quyết định.
    #[arg(long, default_value = "")]
    issuer: String,
    /// Đơn vị tiếp nhận phần còn lại của một đơn vị chấm dứt: "ĐƠN VỊ=ĐƠN VỊ TIẾP NHẬN".
    #[arg(long = "heir")]
    heirs: Vec<String>,
    /// Đơn vị tiếp nhận một nhiệm vụ: "MÃ NHIỆM VỤ=ĐƠN VỊ".
    #[arg(long = "assign")]
    assign: Vec<String>,
    /// Tài khoản của đơn vị chấm dứt: "MÃ TÀI KHOẢN=ĐƠN VỊ" hoặc "MÃ TÀI KHOẢN=disable".
    #[arg(long = "account")]
    accounts: Vec<String>,
    /// Tỷ lệ chia biên chế khi chia tách: "ĐƠN VỊ SAU CHIA TÁCH=PHẦN TRĂM" (số nguyên, tổng
    /// bằng 100; không ghi thì chia đều).
    #[arg(long = "share")]
    shares: Vec<String>,
    /// Lĩnh vực của đơn vị chấm dứt: "MÃ LĨNH VỰC=ĐƠN VỊ" hoặc "MÃ LĨNH VỰC=end" (chấm dứt).
    #[arg(long = "field")]
    fields: Vec<String>,
    /// Chỉ in các hệ quả, không ghi gì.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    common: Common,
}

/// `tinhgon registry event …`.
#[derive(Subcommand)]
pub enum EventCommand {
    /// Sáp nhập các đơn vị vào một đơn vị hiện có (--into).
    Merge(EventArgs),
    /// Hợp nhất các đơn vị thành một đơn vị mới (--new).
    Consolidate(EventArgs),
    /// Chia tách một đơn vị thành nhiều đơn vị.
    Split(EventArgs),
    /// Giải thể đơn vị.
    Dissolve(EventArgs),
    /// Chuyển giao chức năng, nhiệm vụ sang đơn vị khác (--into).
    Transfer(EventArgs),
    /// Đổi tên đơn vị (--new).
    Rename(EventArgs),
    /// Hủy một sự kiện chưa đến ngày hiệu lực.
    Cancel {
        /// Mã sự kiện.
        id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Liệt kê các sự kiện sắp xếp của tỉnh.
    List {
        #[command(flatten)]
        common: Common,
    },
}

/// Runs a register command; a failure is printed in Vietnamese and ends the process with code 1.
pub fn run(cmd: RegistryCommand) -> anyhow::Result<()> {
    if let Err(e) = run_inner(cmd) {
        eprintln!("Lỗi: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

fn run_inner(cmd: RegistryCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")?;
    rt.block_on(async {
        match cmd {
            RegistryCommand::Import { dir, db } => {
                let db = Db::connect(&db).await?;
                // Who ran the command is kept in the audit row when the shell says so.
                let s =
                    tinhgon_app::register::import(&db, &dir, std::env::var("USER").ok()).await?;
                println!(
                    "Đã nhập danh mục: {} đơn vị, {} sự kiện sắp xếp, {} tên gọi khác (mã tỉnh trong CSDL: {}).",
                    s.units, s.events, s.aliases, s.province_id
                );
                for w in &s.warnings {
                    println!("Lưu ý: {w}");
                }
                db.close().await;
            }
            RegistryCommand::Check {
                db,
                province,
                as_of,
            } => {
                let db = Db::connect(&db).await?;
                let day = match as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => tinhgon_domain::local_date(chrono::Utc::now()),
                    Some(s) => tinhgon_app::input::parse_date(s)
                        .ok_or_else(|| anyhow::anyhow!("ngày \"{s}\" không hợp lệ (YYYY-MM-DD)"))?,
                };
                let p = match province.as_deref() {
                    Some(n) => Some(tinhgon_app::units::province(&db, Some(n)).await?),
                    None => None,
                };
                let found = tinhgon_app::rules::report(&db, p, day).await?;
                db.close().await;
                let dated = day.format("%d/%m/%Y");
                let mut total = 0;
                for r in found.iter().filter(|r| !r.is_clean()) {
                    println!("{}:", r.name);
                    for v in &r.violations {
                        let grace = v
                            .grace_until
                            .map(|g| format!("; thời hạn sắp xếp đến {}", g.format("%d/%m/%Y")))
                            .unwrap_or_default();
                        println!("  Vi phạm: {} (căn cứ: {}{grace})", v.message, v.citation);
                    }
                    for g in &r.functions.gaps {
                        println!(
                            "  Lĩnh vực chưa có cơ quan nào đảm nhận: {} (thuộc {} theo {}).",
                            g.field, g.department, g.citation
                        );
                    }
                    for o in &r.functions.overlaps {
                        let names: Vec<&str> = o.units.iter().map(|u| u.1.as_str()).collect();
                        println!(
                            "  Lĩnh vực trùng lặp: {} do {} cùng đảm nhận.",
                            o.field,
                            names.join(", ")
                        );
                    }
                    total += r.violations.len() + r.functions.gaps.len() + r.functions.overlaps.len();
                }
                if total == 0 {
                    println!(
                        "Không có vi phạm quy định, lĩnh vực bỏ trống hay trùng lặp nào vào ngày {dated}."
                    );
                } else {
                    println!("Có {total} vấn đề vào ngày {dated}.");
                    std::process::exit(1);
                }
            }
            RegistryCommand::Update(a) => crate::cmd_registry_update::run(a).await?,
            RegistryCommand::Unit(c) => unit_command(c).await?,
            RegistryCommand::Event(c) => event_command(c).await?,
            RegistryCommand::Scenario(c) => crate::cmd_scenario::run(c).await?,
            RegistryCommand::AsOf { province, date, db } => {
                let db = Db::connect(&db).await?;
                for u in tinhgon_app::register::units_as_of(&db, &province, date).await? {
                    println!("{}\t{}\t{}", u.id, u.kind.as_str(), u.name);
                }
                db.close().await;
            }
        }
        Ok(())
    })
}

/// Who runs the command, for the audit row.
pub(crate) fn operator() -> Option<String> {
    std::env::var("USER").ok()
}

/// The database and province a command acts on.
pub(crate) async fn open(common: &Common) -> anyhow::Result<(Db, i64)> {
    let db = Db::connect(&common.db).await?;
    let province = tinhgon_app::units::province(&db, common.province.as_deref()).await?;
    Ok((db, province))
}

async fn unit_command(c: UnitCommand) -> anyhow::Result<()> {
    use tinhgon_app::units::{self, Actor};
    let op = operator();
    let actor = Actor::Operator(op.as_deref());
    match c {
        UnitCommand::Add {
            name,
            kind,
            parent,
            effective,
            decision,
            autonomy_group,
            code,
            aliases,
            common,
        } => {
            let (db, p) = open(&common).await?;
            let form = units::UnitForm {
                name: name.clone(),
                kind,
                parent,
                effective,
                decision,
                code,
                autonomy_group,
                aliases: aliases.join(";"),
            };
            let id = units::add(&db, actor, p, form).await?;
            println!("Đã thêm đơn vị {name} (mã {id}).");
            db.close().await;
        }
        UnitCommand::Rename {
            unit,
            to,
            effective,
            decision,
            common,
        } => {
            let args = EventArgs {
                from: vec![unit],
                into: Vec::new(),
                new: vec![to],
                kind: String::new(),
                effective,
                decision,
                decision_date: String::new(),
                issuer: String::new(),
                heirs: Vec::new(),
                assign: Vec::new(),
                accounts: Vec::new(),
                shares: Vec::new(),
                fields: Vec::new(),
                dry_run: false,
                common,
            };
            event(tinhgon_domain::event::EventKind::Rename, args).await?;
        }
        UnitCommand::Move {
            unit,
            parent,
            effective,
            decision,
            common,
        } => {
            let (db, p) = open(&common).await?;
            let form = units::MoveForm {
                parent,
                effective,
                decision,
            };
            units::move_under(&db, actor, p, &unit, form).await?;
            println!("Đã chuyển đơn vị {unit}.");
            db.close().await;
        }
        UnitCommand::Close {
            unit,
            effective,
            decision,
            common,
        } => {
            let (db, p) = open(&common).await?;
            let form = units::CloseForm {
                effective,
                decision,
            };
            units::close(&db, actor, p, &unit, form).await?;
            println!("Đã kết thúc hoạt động của đơn vị {unit}.");
            db.close().await;
        }
        UnitCommand::Alias {
            unit,
            alias,
            remove,
            common,
        } => {
            let (db, p) = open(&common).await?;
            units::alias(&db, actor, p, &unit, units::AliasForm { alias, remove }).await?;
            println!("Đã cập nhật tên gọi khác của {unit}.");
            db.close().await;
        }
    }
    Ok(())
}

async fn event_command(c: EventCommand) -> anyhow::Result<()> {
    use tinhgon_domain::event::EventKind;
    let (kind, args) = match c {
        EventCommand::Merge(a) => (EventKind::Merge, a),
        EventCommand::Consolidate(a) => (EventKind::Consolidate, a),
        EventCommand::Split(a) => (EventKind::Split, a),
        EventCommand::Dissolve(a) => (EventKind::Dissolve, a),
        EventCommand::Transfer(a) => (EventKind::Transfer, a),
        EventCommand::Rename(a) => (EventKind::Rename, a),
        EventCommand::Cancel { id, common } => {
            let (db, p) = open(&common).await?;
            let op = operator();
            tinhgon_app::restructuring::cancel(
                &db,
                tinhgon_app::units::Actor::Operator(op.as_deref()),
                p,
                id,
            )
            .await?;
            println!("Đã hủy sự kiện sắp xếp {id}.");
            db.close().await;
            return Ok(());
        }
        EventCommand::List { common } => {
            let (db, p) = open(&common).await?;
            let reg = tinhgon_app::restructuring::snapshot(&db, p).await?;
            let name = |id: &i64| {
                reg.units
                    .iter()
                    .find(|u| u.id == *id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default()
            };
            for e in tinhgon_app::restructuring::events(&db, p).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{} → {}\t{}",
                    e.event.id,
                    e.event.effective,
                    e.event.kind.label_vi(),
                    e.state.label_vi(),
                    e.event
                        .predecessors
                        .iter()
                        .map(name)
                        .collect::<Vec<_>>()
                        .join("; "),
                    e.event
                        .successors
                        .iter()
                        .map(name)
                        .collect::<Vec<_>>()
                        .join("; "),
                    e.event.decision.unwrap_or_default()
                );
            }
            db.close().await;
            return Ok(());
        }
    };
    event(kind, args).await
}

/// "KEY=VALUE" pairs of a repeated option.
pub(crate) fn pairs(
    option: &str,
    items: &[String],
) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
    items
        .iter()
        .map(|i| match i.split_once('=') {
            Some((k, v)) => Ok((k.trim().to_string(), v.trim().to_string())),
            None => anyhow::bail!("--{option} cần dạng \"A=B\", nhận được \"{i}\""),
        })
        .collect()
}

async fn event(kind: tinhgon_domain::event::EventKind, a: EventArgs) -> anyhow::Result<()> {
    use tinhgon_app::restructuring::{self as r, EventForm};
    let (db, p) = open(&a.common).await?;
    let form = EventForm {
        kind: kind.as_str().into(),
        from: a.from,
        into: a.into,
        new: a.new,
        new_kind: a.kind,
        effective: a.effective,
        decision: a.decision,
        decision_date: a.decision_date,
        decision_issuer: a.issuer,
        assignments: pairs("assign", &a.assign)?,
        units: pairs("heir", &a.heirs)?,
        accounts: pairs("account", &a.accounts)?,
        allocation: pairs("share", &a.shares)?,
        functions: pairs("field", &a.fields)?,
    };
    let op = operator();
    let actor = tinhgon_app::units::Actor::Operator(op.as_deref());
    if a.dry_run {
        let pv = r::preview(&db, actor, p, &form).await?;
        print_preview(&pv);
        db.close().await;
        return Ok(());
    }
    let o = r::record(&db, actor, p, &form).await?;
    match o.recorded.applied {
        Some(x) => println!(
            "Đã ghi nhận và áp dụng sự kiện {} (mã {}): {} nhiệm vụ, {} vai trò phối hợp, {} yêu cầu báo cáo, {} đơn vị trực thuộc chuyển sang đơn vị kế thừa; {} tài khoản chuyển, {} tài khoản bị khóa; {} lĩnh vực được bố trí lại.",
            o.preview.kind_label.to_lowercase(),
            o.recorded.event_id,
            x.assignments,
            x.coordinating,
            x.report_requests,
            x.children,
            x.accounts_moved,
            x.accounts_disabled,
            x.functions
        ),
        None => println!(
            "Đã ghi nhận sự kiện {} (mã {}); sẽ áp dụng ngày {}.",
            o.preview.kind_label.to_lowercase(),
            o.recorded.event_id,
            o.preview.effective.format("%d/%m/%Y")
        ),
    }
    db.close().await;
    Ok(())
}

fn print_preview(p: &tinhgon_app::restructuring::Preview) {
    let names = |v: &[tinhgon_app::restructuring::UnitName]| {
        v.iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    println!(
        "Xem trước: {} theo {}, hiệu lực {} ({}). Không có gì được ghi.",
        p.kind_label.to_lowercase(),
        p.decision,
        p.effective.format("%d/%m/%Y"),
        if p.applies_now {
            "áp dụng ngay khi ghi nhận"
        } else {
            "chờ đến ngày hiệu lực"
        }
    );
    println!("Đơn vị trước sắp xếp: {}", names(&p.predecessors));
    println!("Đơn vị chấm dứt hoạt động: {}", names(&p.ceasing));
    println!("Đơn vị sau sắp xếp: {}", names(&p.successors));
    println!(
        "Nhiệm vụ đang thực hiện chuyển giao: {}",
        p.assignments.len()
    );
    for a in &p.assignments {
        println!(
            "  [{}] {} – {} → {}",
            a.id,
            a.label,
            a.from,
            a.to.as_ref().map_or("CHƯA CHỌN", |u| u.name.as_str())
        );
    }
    println!("Vai trò phối hợp chuyển giao: {}", p.coordinating.len());
    println!("Tài khoản của đơn vị chấm dứt: {}", p.accounts.len());
    for a in &p.accounts {
        println!(
            "  [{}] {} – {}",
            a.id,
            a.name,
            a.to.as_ref()
                .map_or("khóa tài khoản".to_string(), |u| format!(
                    "chuyển sang {}",
                    u.name
                ))
        );
    }
    println!("Yêu cầu báo cáo đang mở chuyển giao: {}", p.requests.len());
    println!(
        "Đơn vị trực thuộc chuyển sang đơn vị kế thừa: {}",
        p.children.len()
    );
    for l in &p.staffing {
        println!("Biên chế: {l}");
    }
    println!(
        "Lĩnh vực quản lý nhà nước cần bố trí: {}",
        p.functions.len()
    );
    for f in &p.functions {
        let to = match (&f.to, f.ended, f.kept) {
            (Some(u), _, _) => u.name.clone(),
            (None, true, _) => "chấm dứt".into(),
            (None, _, true) => "giữ lại".into(),
            _ => "CHƯA CHỌN".into(),
        };
        println!("  [{}] {} – {} → {to}", f.id, f.field, f.from);
    }
    for m in &p.missing {
        println!("Cần chọn: {m}");
    }
    for w in &p.warnings {
        println!("Lưu ý: {w}");
    }
}
