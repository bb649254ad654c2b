//! Job positions and the staffing a restructuring event carries, on SQLite and PostgreSQL:
//! positions added, edited and removed with the ledger's rights (another agency refused,
//! another province not found, bad input refused, nothing written by a refusal), compared with
//! the quota and the headcount; a consolidation, a merger into an existing unit and a split
//! carrying quotas, headcounts and positions as worked out by hand below, listed first in the
//! event's preview; a dissolution carrying nothing.

mod common;

use common::account;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::staffing::positions::{self, PositionForm};
use tinhgon_app::staffing::{self, FigureForm};
use tinhgon_app::units::Actor;
use tinhgon_app::AppError;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::job_positions::PositionGroup;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

/// The unit in force today named `name`.
async fn unit(db: &Db, province: Id, name: &str) -> anyhow::Result<Id> {
    Ok(register::units_as_of(db, province, today())
        .await?
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("không có đơn vị {name}"))
        .id)
}

fn position(title: &str, group: &str, rank: &str, people: &str) -> PositionForm {
    PositionForm {
        title: title.into(),
        group: group.into(),
        rank: rank.into(),
        people: people.into(),
        decision: String::new(),
    }
}

const CS: usize = 0;
const PE: usize = 1;

fn quota(year: i32, line: usize, count: u32) -> FigureForm {
    FigureForm {
        kind: "quota".into(),
        year: year.to_string(),
        line: StaffLine::ALL[line].key().into(),
        count: count.to_string(),
        decision: format!("Quyết định giao biên chế năm {year}"),
        ..FigureForm::default()
    }
}

fn headcount(on: NaiveDate, line: usize, count: u32) -> FigureForm {
    FigureForm {
        kind: "headcount".into(),
        on: on.format("%d/%m/%Y").to_string(),
        line: StaffLine::ALL[line].key().into(),
        count: count.to_string(),
        ..FigureForm::default()
    }
}

/// Rows of the tables a position write touches.
async fn written(db: &Db) -> anyhow::Result<(i64, i64, i64)> {
    Ok((
        query("SELECT COUNT(*) FROM job_positions")
            .scalar(db)
            .await?,
        query("SELECT CAST(COALESCE(SUM(people * id), 0) AS BIGINT) FROM job_positions")
            .scalar(db)
            .await?,
        query("SELECT COUNT(*) FROM audit_log").scalar(db).await?,
    ))
}

fn invalid_field(r: Result<Id, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    }
}

tinhgon_testkit::both_databases! {
    async fn positions_are_kept_with_the_ledgers_rights_and_compared(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = common::publish_615(&db).await?;
        let monitor = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let tu_phap = unit(&db, province, "Sở Tư pháp").await?;
        let tai_chinh = unit(&db, province, "Sở Tài chính").await?;
        let own = account(&db, "can-bo-tu-phap", Role::AgencyOfficer, Some(tu_phap), province).await?;
        let other = account(&db, "can-bo-tai-chinh", Role::AgencyOfficer, Some(tai_chinh), province).await?;
        let leader = account(&db, "lanh-dao", Role::Leader, None, province).await?;
        tinhgon_app::setup::setup(
            &db,
            tinhgon_app::setup::SetupRequest {
                province: "Lào Cai".into(),
                admin_login: "qt-lao-cai".into(),
                admin_password: "mat-khau-lao-cai".into(),
                admin_name: String::new(),
            },
            None,
        )
        .await?;
        let lao_cai = register::find_province(&db, "Lào Cai").await?.expect("Lào Cai");
        let foreign = account(&db, "giam-sat-lao-cai", Role::Monitor, None, lao_cai).await?;

        let tp = UnitId(tu_phap);
        let chief = positions::add(&db, &monitor, tp, position("Giám đốc sở", "leadership", "", "1")).await?;
        let clerk = positions::add(&db, &own, tp, position("Chuyên viên pháp chế", "Chuyên môn, nghiệp vụ", "Chuyên viên", "8")).await?;
        let driver = positions::add(&db, &own, tp, position("Lái xe", "support", "", "2")).await?;
        let audit = tinhgon_store::audit::for_object(&db, "unit", tu_phap).await?;
        assert_eq!(audit.iter().filter(|r| r.action == "staffing.position.add").count(), 3);
        assert!(audit.iter().any(|r| r.action == "staffing.position.add" && r.actor_login.as_deref() == Some("can-bo-tu-phap")));
        positions::edit(&db, &own, tp, clerk, position("Chuyên viên pháp chế", "professional", "Chuyên viên", "9")).await?;

        // Refusals: another agency, a leader, another province, bad input, a position of
        // another unit named through one's own. None writes anything.
        let before = written(&db).await?;
        let form = || position("Chuyên viên", "professional", "", "1");
        assert!(matches!(positions::add(&db, &other, tp, form()).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::edit(&db, &other, tp, clerk, form()).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::remove(&db, &other, tp, clerk).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::list(&db, &other, tp).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::add(&db, &leader, tp, form()).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::add(&db, &foreign, tp, form()).await, Err(AppError::NotFound)));
        assert!(matches!(positions::list(&db, &foreign, tp).await, Err(AppError::NotFound)));
        assert!(matches!(positions::remove(&db, &foreign, tp, clerk).await, Err(AppError::NotFound)));
        assert!(matches!(positions::compare_province(&db, &foreign, province, today()).await, Err(AppError::NotFound)));
        assert!(matches!(positions::compare_province(&db, &own, province, today()).await, Err(AppError::Forbidden)));
        assert!(matches!(positions::edit(&db, &other, UnitId(tai_chinh), clerk, form()).await, Err(AppError::NotFound)));
        assert!(matches!(positions::remove(&db, &other, UnitId(tai_chinh), clerk).await, Err(AppError::NotFound)));
        assert_eq!(invalid_field(positions::add(&db, &own, tp, position("  ", "professional", "", "1")).await), "title");
        assert_eq!(invalid_field(positions::add(&db, &own, tp, position("Văn thư", "professional", "", "-3")).await), "people");
        assert_eq!(invalid_field(positions::add(&db, &own, tp, position("Văn thư", "khác", "", "1")).await), "group");
        let e = positions::edit(&db, &own, tp, clerk, position("Chuyên viên", "professional", "", "-1")).await.unwrap_err();
        assert!(e.to_string().contains("Số người cần cho vị trí phải là số nguyên từ 1"), "{e}");
        assert_eq!(written(&db).await?, before, "refusals write nothing");
        // A leader reads.
        assert_eq!(positions::list(&db, &leader, tp).await?.len(), 3);

        // 1 + 9 + 2 = 12 people against a quota of 10 and 11 people working.
        let year = today().year();
        staffing::record(&db, &monitor, tp, quota(year - 1, CS, 14)).await?;
        staffing::record(&db, &monitor, tp, quota(year, CS, 8)).await?;
        staffing::record(&db, &monitor, tp, quota(year, PE, 2)).await?;
        staffing::record(&db, &own, tp, headcount(today() - Duration::days(30), CS, 10)).await?;
        staffing::record(&db, &own, tp, headcount(today() - Duration::days(60), PE, 1)).await?;
        let c = positions::compare_unit(&db, &leader, tp, today()).await?;
        assert_eq!((c.figures.positions, c.figures.people, c.figures.quota, c.figures.headcount), (3, 12, Some((year, 10)), Some(11)));
        assert_eq!(c.disagreements, [
            format!("Số người theo vị trí việc làm (12) vượt biên chế được giao năm {year} (10)"),
            format!("Số người có mặt (11) vượt biên chế được giao năm {year} (10)"),
        ]);
        // The driver's post removed: 10 people, fewer than the 11 working.
        positions::remove(&db, &monitor, tp, driver).await?;
        let removed = tinhgon_store::audit::for_object(&db, "unit", tu_phap).await?;
        let row = removed.iter().find(|r| r.action == "staffing.position.remove").expect("audit row");
        let was: serde_json::Value = serde_json::from_str(row.before_json.as_deref().unwrap_or("null"))?;
        assert_eq!(was["title"], "Lái xe");
        let c = positions::compare_unit(&db, &own, tp, today()).await?;
        assert_eq!(c.disagreements.last().map(String::as_str), Some("Số người theo vị trí việc làm (10) ít hơn số người có mặt (11)"));
        let list = positions::list(&db, &own, tp).await?;
        assert_eq!(list.iter().map(|p| (p.id, p.position.group, p.position.people)).collect::<Vec<_>>(),
            [(chief, PositionGroup::Leadership, 1), (clerk, PositionGroup::Professional, 9)]);

        // Across the province: Sở Tài chính's 5 people against its quota of 6.
        positions::add(&db, &other, UnitId(tai_chinh), position("Kế toán", "professional", "Kế toán viên", "5")).await?;
        staffing::record(&db, &monitor, UnitId(tai_chinh), quota(year, CS, 6)).await?;
        let p = positions::compare_province(&db, &leader, province, today()).await?;
        let names: Vec<&str> = p.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["Sở Tài chính", "Sở Tư pháp"]);
        assert!(p.units[0].disagreements.is_empty());
        assert_eq!((p.total.figures.positions, p.total.figures.people, p.total.figures.quota, p.total.figures.headcount), (3, 15, Some((year, 16)), Some(11)));
        assert!(p.total.disagreements.is_empty(), "{:?}", p.total.disagreements);
        Ok(())
    }
}

fn event(kind: &str, from: &[&str], into: &[&str], new: &[&str]) -> EventForm {
    let iso = today().format("%Y-%m-%d").to_string();
    EventForm {
        kind: kind.into(),
        from: from.iter().map(|s| s.to_string()).collect(),
        into: into.iter().map(|s| s.to_string()).collect(),
        new: new.iter().map(|s| s.to_string()).collect(),
        effective: iso,
        decision: "15/QĐ-UBND".into(),
        decision_issuer: "UBND tỉnh".into(),
        ..EventForm::default()
    }
}

/// `unit`'s quotas of `year` and headcounts on `on`, by line, and its positions.
async fn carried(
    db: &Db,
    monitor: &User,
    unit: Id,
    year: i32,
    on: NaiveDate,
) -> anyhow::Result<(
    Vec<(usize, u32, String)>,
    Vec<(usize, u32)>,
    Vec<(String, u32)>,
)> {
    let line = |l: StaffLine| StaffLine::ALL.iter().position(|x| *x == l).unwrap_or(9);
    let mut quotas = Vec::new();
    let mut heads = Vec::new();
    for f in staffing::ledger(db, monitor, UnitId(unit)).await? {
        match f.figure {
            Figure::Quota {
                year: y,
                line: l,
                count,
                decision,
            } if y == year => quotas.push((line(l), count, decision)),
            Figure::Headcount {
                on: d,
                line: l,
                count,
            } if d == on => heads.push((line(l), count)),
            _ => {}
        }
    }
    let positions = positions::list(db, monitor, UnitId(unit))
        .await?
        .into_iter()
        .map(|p| (p.position.title, p.position.people))
        .collect();
    Ok((quotas, heads, positions))
}

tinhgon_testkit::both_databases! {
    async fn a_consolidation_carries_quotas_headcounts_and_positions_as_worked_out_by_hand(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = common::publish_615(&db).await?;
        let m = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let (day, year) = (today(), today().year());
        let a = unit(&db, province, "Sở Tư pháp").await?;
        let b = unit(&db, province, "Sở Công Thương").await?;
        // Sở Tư pháp: its latest quota year is last year (45 công chức, 5 viên chức; the year
        // before is not read); its latest headcounts 43 and 4 (an older 40 is not read).
        for f in [quota(year - 2, CS, 50), quota(year - 1, CS, 45), quota(year - 1, PE, 5),
                  headcount(day - Duration::days(200), CS, 40), headcount(day - Duration::days(20), CS, 43),
                  headcount(day - Duration::days(20), PE, 4)] {
            staffing::record(&db, &m, UnitId(a), f).await?;
        }
        // Sở Công Thương: this year's quota 38; headcount 36; a count dated after the event is
        // not read.
        for f in [quota(year, CS, 38), headcount(day - Duration::days(10), CS, 36), headcount(day + Duration::days(10), CS, 99)] {
            staffing::record(&db, &m, UnitId(b), f).await?;
        }
        positions::add(&db, &m, UnitId(a), position("Chuyên viên pháp chế", "professional", "Chuyên viên", "3")).await?;
        positions::add(&db, &m, UnitId(a), position("Văn thư", "support", "Cán sự", "1")).await?;
        positions::add(&db, &m, UnitId(b), position("chuyen vien phap che", "professional", "chuyên viên", "2")).await?;
        positions::add(&db, &m, UnitId(b), position("Giám đốc sở", "leadership", "", "1")).await?;

        let f = event("consolidate", &["Sở Tư pháp", "Sở Công Thương"], &[], &["Sở Thử nghiệm Hợp nhất"]);
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        let when = day.format("%d/%m/%Y");
        assert_eq!(pv.staffing, [
            format!("Biên chế công chức năm {year}: 45 (Sở Tư pháp) + 38 (Sở Công Thương) → 83 chuyển sang Sở Thử nghiệm Hợp nhất"),
            format!("Viên chức hưởng lương từ ngân sách năm {year}: 5 (Sở Tư pháp) → 5 chuyển sang Sở Thử nghiệm Hợp nhất"),
            format!("Số có mặt (Biên chế công chức) ngày {when}: 43 (Sở Tư pháp) + 36 (Sở Công Thương) → 79 chuyển sang Sở Thử nghiệm Hợp nhất"),
            format!("Số có mặt (Viên chức hưởng lương từ ngân sách) ngày {when}: 4 (Sở Tư pháp) → 4 chuyển sang Sở Thử nghiệm Hợp nhất"),
            "Vị trí việc làm: 4 vị trí, 7 người chuyển sang Sở Thử nghiệm Hợp nhất (gộp các vị trí trùng tên, nhóm và ngạch)".to_string(),
        ]);
        assert_eq!(query("SELECT COUNT(*) FROM job_positions").scalar::<i64>(&db).await?, 4, "a preview writes nothing");

        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let c = o.recorded.created[0];
        // 2 quotas + 2 headcounts + 3 positions.
        assert_eq!(o.recorded.applied.as_ref().map(|x| x.staffing), Some(7));
        let (quotas, heads, mut positions) = carried(&db, &m, c, year, day).await?;
        let doc = "15/QĐ-UBND (hợp nhất)".to_string();
        assert_eq!(quotas, [(CS, 83, doc.clone()), (PE, 5, doc)]);
        assert_eq!(heads, [(CS, 79), (PE, 4)]);
        positions.sort();
        assert_eq!(positions, [("Chuyên viên pháp chế".to_string(), 5), ("Giám đốc sở".to_string(), 1), ("Văn thư".to_string(), 1)]);
        // The old units keep their figures as history.
        let (old, _, old_positions) = carried(&db, &m, a, year - 1, day).await?;
        assert_eq!(old.len(), 2);
        assert_eq!(old_positions.len(), 2);
        // The new unit's comparison reads the carried figures: 7 people, quota 88, 83 working.
        let cmp = positions::compare_unit(&db, &m, UnitId(c), day).await?;
        assert_eq!((cmp.figures.people, cmp.figures.quota, cmp.figures.headcount), (7, Some((year, 88)), Some(83)));
        Ok(())
    }

    async fn a_merger_adds_to_the_existing_unit_a_split_shares_and_a_dissolution_carries_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = common::publish_615(&db).await?;
        let m = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let (day, year) = (today(), today().year());
        let earlier = day - Duration::days(30);
        let yt = unit(&db, province, "Sở Y tế").await?;
        let gd = unit(&db, province, "Sở Giáo dục và Đào tạo").await?;
        let xd = unit(&db, province, "Sở Xây dựng").await?;
        let tp = unit(&db, province, "Sở Tư pháp").await?;
        for (u, f) in [(yt, quota(year - 1, CS, 20)), (yt, headcount(earlier, CS, 19)),
                       (gd, quota(year - 1, CS, 30)), (gd, quota(year - 1, PE, 12)), (gd, headcount(earlier, CS, 28)),
                       (xd, quota(year - 1, CS, 101)), (xd, headcount(earlier, CS, 95)),
                       (tp, quota(year - 1, CS, 40))] {
            staffing::record(&db, &m, UnitId(u), f).await?;
        }
        positions::add(&db, &m, UnitId(yt), position("Kế toán", "professional", "Kế toán viên", "1")).await?;
        positions::add(&db, &m, UnitId(gd), position("Kế toán", "professional", "Kế toán viên", "2")).await?;
        positions::add(&db, &m, UnitId(gd), position("Lái xe", "support", "", "1")).await?;
        positions::add(&db, &m, UnitId(xd), position("Chuyên viên", "professional", "Chuyên viên", "5")).await?;
        positions::add(&db, &m, UnitId(xd), position("Giám đốc sở", "leadership", "", "1")).await?;

        // Sở Y tế into Sở Giáo dục và Đào tạo: 30 + 20 = 50 công chức, its 12 viên chức written
        // again for the year; 28 + 19 = 47 working; Kế toán 2 + 1 = 3, Lái xe unchanged.
        let f = event("merge", &["Sở Y tế"], &["Sở Giáo dục và Đào tạo"], &[]);
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(pv.staffing[0], format!("Biên chế công chức năm {year}: 30 (Sở Giáo dục và Đào tạo, hiện có) + 20 (Sở Y tế) → 50 tại Sở Giáo dục và Đào tạo"));
        assert_eq!(pv.staffing[1], format!("Viên chức hưởng lương từ ngân sách năm {year}: 12 (Sở Giáo dục và Đào tạo, hiện có) → 12 tại Sở Giáo dục và Đào tạo"));
        assert_eq!(pv.staffing.last().map(String::as_str), Some("Vị trí việc làm: 1 vị trí, 1 người chuyển sang Sở Giáo dục và Đào tạo (gộp các vị trí trùng tên, nhóm và ngạch)"));
        restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let (quotas, heads, mut positions) = carried(&db, &m, gd, year, day).await?;
        let doc = "15/QĐ-UBND (sáp nhập)".to_string();
        assert_eq!(quotas, [(CS, 50, doc.clone()), (PE, 12, doc)]);
        assert_eq!(heads, [(CS, 47)]);
        positions.sort();
        assert_eq!(positions, [("Kế toán".to_string(), 3), ("Lái xe".to_string(), 1)]);
        let (last_year, _, _) = carried(&db, &m, gd, year - 1, day).await?;
        assert_eq!(last_year.iter().map(|q| q.1).collect::<Vec<_>>(), [30, 12], "last year's quota is not touched");

        // Sở Xây dựng split in two new departments: 101 → 51 and 50 (the remainder to the
        // first), 95 → 48 and 47; Chuyên viên 5 → 3 and 2; the one Giám đốc to the first.
        let mut f = event("split", &["Sở Xây dựng"], &[], &["Sở Tách Một", "Sở Tách Hai"]);
        f.units = BTreeMap::from([(xd.to_string(), "Sở Tách Một".to_string())]);
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert!(pv.staffing.contains(&format!("Biên chế công chức năm {year}: 51 trong 101 (Sở Xây dựng) → 51 chuyển sang Sở Tách Một")), "{:?}", pv.staffing);
        assert!(pv.staffing.contains(&format!("Biên chế công chức năm {year}: 50 trong 101 (Sở Xây dựng) → 50 chuyển sang Sở Tách Hai")), "{:?}", pv.staffing);
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let (one, two) = (o.recorded.created[0], o.recorded.created[1]);
        let (q1, h1, mut p1) = carried(&db, &m, one, year, day).await?;
        let (q2, h2, p2) = carried(&db, &m, two, year, day).await?;
        assert_eq!((q1[0].1, q2[0].1), (51, 50));
        assert_eq!((h1, h2), (vec![(CS, 48)], vec![(CS, 47)]));
        p1.sort();
        assert_eq!(p1, [("Chuyên viên".to_string(), 3), ("Giám đốc sở".to_string(), 1)]);
        assert_eq!(p2, [("Chuyên viên".to_string(), 2)]);

        // Sở Tư pháp dissolved, its work to Sở Giáo dục và Đào tạo: the preview says its
        // staffing goes nowhere, and nothing is written.
        let mut f = event("dissolve", &["Sở Tư pháp"], &[], &[]);
        f.units = BTreeMap::from([(tp.to_string(), gd.to_string())]);
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(pv.staffing, ["Sở Tư pháp giải thể: biên chế, số có mặt và vị trí việc làm không chuyển sang đơn vị nào; đơn vị nhận người nhập lại số liệu của mình."]);
        let quotas_before: i64 = query("SELECT COUNT(*) FROM staffing_quotas").scalar(&db).await?;
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(o.recorded.applied.map(|x| x.staffing), Some(0));
        assert_eq!(query("SELECT COUNT(*) FROM staffing_quotas").scalar::<i64>(&db).await?, quotas_before);
        Ok(())
    }
}
