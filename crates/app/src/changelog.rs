//! The change log of one object (nhật ký thay đổi) as people read it: each audit row written as a
//! Vietnamese sentence with the values before and after in words and people's names, never the
//! stored codes or JSON. The audit rows themselves stay as they are (they are hashed).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_manage_accounts, works_on, Role, User};
use tinhgon_domain::Status;
use tinhgon_store::audit::{self as store_audit, AuditRow};
use tinhgon_store::periodic::PeriodKind;
use tinhgon_store::{web_queries as wq, Db};

use crate::audit::AUDIT_KINDS;
use crate::error::{AppError, Result};

/// One change as the change log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    /// Sequence number in the audit chain.
    pub id: i64,
    /// When.
    pub at: Option<DateTime<Utc>>,
    /// Who, by name ("Hệ thống" for the system's own writes).
    pub who: String,
    /// What was done, as a sentence.
    pub what: String,
    /// The values that changed, one phrase each ("Tình trạng: Đang thực hiện → Đã hoàn thành").
    pub details: Vec<String>,
}

/// The change log of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLog {
    /// The object, as people name it.
    pub title: String,
    /// Its changes, oldest first.
    pub lines: Vec<ChangeLine>,
}

/// Names the sentences use in place of ids.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// Accounts' display names by id.
    pub users: HashMap<Id, String>,
    /// Accounts' display names by login (rows keep the login of who acted).
    pub logins: HashMap<String, String>,
    /// Units' names by id.
    pub units: HashMap<Id, String>,
}

/// The change log of object `kind` `object` for `me`: monitors read those of their province's
/// plans, assignments, tasks and units; administrators also those of accounts. Another
/// province's object is not found.
pub async fn history(db: &Db, me: &User, kind: &str, object: Id) -> Result<ChangeLog> {
    if !AUDIT_KINDS.contains(&kind) {
        return Err(AppError::NotFound);
    }
    let allowed = match kind {
        "user" | "api_token" => can_manage_accounts(me),
        _ => me.active && (me.role.monitors() || me.role == Role::Admin),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let subject = store_audit::subject(db, kind, object)
        .await?
        .filter(|s| works_on(me, s.province_id))
        .ok_or(AppError::NotFound)?;
    let rows = store_audit::for_object(db, kind, object).await?;
    let mut names = Names {
        units: wq::unit_names(db, subject.province_id).await?,
        ..Names::default()
    };
    for u in tinhgon_store::accounts::list_users(db).await? {
        names.logins.insert(u.login.clone(), u.display_name.clone());
        names.users.insert(u.id, u.display_name);
    }
    let lines = rows.iter().map(|r| describe(r, &names)).collect();
    Ok(ChangeLog {
        title: subject.title,
        lines,
    })
}

/// One audit row in words.
pub fn describe(r: &AuditRow, names: &Names) -> ChangeLine {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .unwrap_or(Value::Null)
    };
    let before = parse(&r.before_json);
    let after = parse(&r.after_json);
    let who = match (&r.actor_id, &r.actor_login) {
        (Some(id), _) if names.users.contains_key(id) => names.users[id].clone(),
        (_, Some(login)) => names
            .logins
            .get(login)
            .cloned()
            .unwrap_or_else(|| login.clone()),
        _ => "Hệ thống".to_string(),
    };
    let mut details = Vec::new();
    let mut keys: Vec<&String> = Vec::new();
    for v in [&before, &after] {
        if let Value::Object(m) = v {
            for k in m.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    for key in keys {
        let Some(label) = field_label(key) else {
            continue;
        };
        let b = before.get(key).and_then(|v| value_words(key, v, names));
        let a = after.get(key).and_then(|v| value_words(key, v, names));
        let phrase = match (b, a) {
            (Some(b), Some(a)) if b == a => continue,
            (Some(b), Some(a)) => format!("{label}: {b} → {a}"),
            (None, Some(a)) => format!("{label}: {a}"),
            (Some(b), None) => format!("{label} (trước): {b}"),
            (None, None) => continue,
        };
        details.push(phrase);
    }
    ChangeLine {
        id: r.id,
        at: DateTime::parse_from_rfc3339(&r.at)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        who,
        what: action_words(&r.action).to_string(),
        details,
    }
}

/// What an audited action did, as a sentence.
pub fn action_words(action: &str) -> &'static str {
    match action {
        "plan.import" => "Nhập văn bản kế hoạch vào hệ thống",
        "plan.publish" => "Ban hành kế hoạch để theo dõi thực hiện",
        "plan.public" => "Thay đổi việc công khai kế hoạch",
        "plan.draft.meta" => "Sửa số, trích yếu, ngày ban hành của văn bản",
        "plan.draft.map" => "Chọn cơ quan, đơn vị cho tên cơ quan trong văn bản",
        "plan.draft.unmap" => "Bỏ chọn cơ quan, đơn vị cho tên cơ quan trong văn bản",
        "plan.draft.delete" => "Xóa bản nháp nhập nhầm",
        "plan.draft.amends" => "Chọn kế hoạch mà văn bản sửa đổi, bổ sung",
        "plan.draft.change" => "Sửa một điều chỉnh của văn bản sửa đổi, bổ sung",
        "plan.amendment.publish" => "Áp dụng văn bản sửa đổi, bổ sung vào kế hoạch",
        "plan.parent" => "Chọn nhiệm vụ cấp trên mà kế hoạch triển khai thực hiện",
        "plan.submit" => "Gửi kế hoạch của cơ quan, đơn vị để Sở Nội vụ xem xét",
        "plan.return" => "Trả lại kế hoạch của cơ quan, đơn vị để hoàn thiện",
        "plan.draft.target" => "Sửa chỉ tiêu biên chế tìm thấy trong văn bản",
        "assignment.start" => "Bắt đầu thực hiện nhiệm vụ",
        "assignment.progress" => "Báo cáo tiến độ thực hiện",
        "assignment.propose_completion" => "Đề nghị xác nhận hoàn thành",
        "assignment.confirm" => "Xác nhận nhiệm vụ đã hoàn thành",
        "assignment.return" => "Trả lại đề nghị hoàn thành",
        "assignment.cancel" => "Hủy phân công nhiệm vụ",
        "extension.request" => "Đề nghị gia hạn",
        "extension.approve" => "Đồng ý gia hạn",
        "extension.refuse" => "Không đồng ý gia hạn",
        "obstacle.raise" => "Báo cáo khó khăn, vướng mắc",
        "obstacle.answer" => "Trả lời khó khăn, vướng mắc",
        "obstacle.refer" => "Báo cáo xin ý kiến cấp có thẩm quyền về vướng mắc",
        "obstacle.opinion" => "Cho ý kiến về vướng mắc được báo cáo xin ý kiến",
        "unit.urge" => "Đôn đốc đơn vị thực hiện nhiệm vụ quá hạn",
        "task.trigger" => "Ghi nhận điều kiện của nhiệm vụ đã xảy ra",
        "task.contribution" => "Gửi ý kiến phối hợp",
        "assignment.comment" => "Gửi ý kiến trao đổi về nhiệm vụ",
        "calendar_feed.create" => "Tạo địa chỉ lịch riêng để xem hạn nhiệm vụ trong ứng dụng lịch",
        "calendar_feed.revoke" => "Thu hồi địa chỉ lịch riêng",
        "report.schedule" => "Đặt lịch báo cáo định kỳ",
        "report.submit" => "Nộp báo cáo định kỳ",
        "report.urge" => "Đôn đốc nộp báo cáo định kỳ",
        "register.setup" => "Tạo danh mục đơn vị từ dữ liệu hành chính toàn quốc",
        "register.import" => "Nhập danh mục đơn vị",
        "unit.add" => "Thêm đơn vị vào danh mục",
        "unit.alias" => "Sửa tên gọi khác của đơn vị",
        "unit.close" => "Ghi nhận đơn vị thôi hoạt động",
        "unit.move" => "Chuyển đơn vị sang đơn vị cấp trên khác",
        "restructuring.record" => {
            "Ghi nhận việc sắp xếp tổ chức (sáp nhập, hợp nhất, chia tách, giải thể)"
        }
        "restructuring.apply" => "Áp dụng việc sắp xếp tổ chức đến ngày hiệu lực",
        "restructuring.cancel" => "Hủy việc sắp xếp tổ chức đã lên lịch",
        "staffing.record" => "Ghi số liệu biên chế",
        "staffing.target" => "Đặt chỉ tiêu tinh giản biên chế",
        "staffing.import" => "Nhập số liệu biên chế từ bảng tính",
        "plan_change.reassign" => "Giao lại cơ quan chủ trì nhiệm vụ",
        "plan_change.due" => "Điều chỉnh thời hạn nhiệm vụ",
        "plan_change.coordinator_add" => "Bổ sung cơ quan phối hợp",
        "plan_change.coordinator_withdraw" => "Rút cơ quan phối hợp",
        "plan_change.task_withdraw" => "Rút nhiệm vụ khỏi kế hoạch",
        "plan_change.task_add" => "Bổ sung nhiệm vụ vào kế hoạch",
        "user.create" => "Tạo tài khoản",
        "user.edit" => "Sửa thông tin tài khoản",
        "user.active" => "Khóa hoặc mở lại tài khoản",
        "user.password" => "Đổi mật khẩu",
        "user.password_reset" => "Quản trị viên đặt lại mật khẩu",
        "user.locked" => "Tạm khóa tài khoản do đăng nhập sai nhiều lần",
        "user.sign_in" => "Đăng nhập",
        "user.sign_out" => "Đăng xuất",
        "api_token.create" => "Tạo mã truy cập cho phần mềm kết nối",
        a if a.starts_with("plan.draft.task") => "Sửa nhiệm vụ trong bản nháp",
        _ => "Thay đổi khác",
    }
}

/// The label of a recorded field, or None for fields that are internal (ids, hashes).
fn field_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "status" => "Tình trạng",
        "note" => "Ý kiến",
        "text" => "Nội dung",
        "reason" => "Lý do",
        "document" => "Văn bản quyết định",
        "unit" => "Đơn vị",
        "cancelled" => "Số phân công được hủy",
        "percent" => "Tỷ lệ hoàn thành",
        "due" => "Hạn",
        "new_due" => "Hạn đề nghị",
        "on" => "Ngày xảy ra",
        "approved" => "Quyết định",
        "public" => "Công khai",
        "active" => "Trạng thái tài khoản",
        "role" => "Vai trò",
        "unit_id" => "Đơn vị",
        "login" => "Tên đăng nhập",
        "display_name" => "Họ và tên",
        "email" => "Thư điện tử",
        "number" => "Số văn bản",
        "title" => "Trích yếu",
        "date" => "Ngày ban hành",
        "kind" => "Kỳ báo cáo",
        "period" => "Kỳ",
        "cutoff" => "Số liệu tính đến",
        "cutoff_day" => "Ngày chốt số liệu",
        "due_days" => "Số ngày được nộp sau ngày chốt",
        "requests" => "Số yêu cầu báo cáo",
        "new_requests" => "Số yêu cầu báo cáo mới",
        "assignments" => "Số phân công",
        "tasks" => "Số nhiệm vụ",
        "units" => "Số đơn vị",
        "files" => "Tệp minh chứng",
        "contribution" => "Ý kiến phối hợp",
        "name" => "Tên",
        "mention" => "Tên trong văn bản",
        "version" => "Phiên bản",
        "addressee" => "Xin ý kiến",
        _ => return None,
    })
}

/// A recorded value in words, or None when it says nothing to a reader.
fn value_words(key: &str, v: &Value, names: &Names) -> Option<String> {
    match (key, v) {
        (_, Value::Null) => match key {
            "due" | "new_due" => Some("không có".into()),
            "unit_id" => Some("không thuộc đơn vị nào".into()),
            _ => None,
        },
        ("status", Value::String(s)) => Some(
            Status::parse(s)
                .map(|s| s.label_vi().to_string())
                .unwrap_or_else(|| s.clone()),
        ),
        ("role", Value::String(s)) => Role::parse(s).map(|r| r.label_vi().to_string()),
        ("addressee", Value::String(s)) => {
            tinhgon_store::referrals::Addressee::parse(s).map(|a| a.label_vi().to_string())
        }
        ("kind", Value::String(s)) => PeriodKind::parse(s).map(|k| k.label_vi().to_string()),
        ("due" | "new_due" | "on" | "date" | "cutoff", Value::String(s)) => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| s.clone()),
        ),
        ("public", Value::Bool(b)) => Some(if *b { "Có" } else { "Không" }.into()),
        ("active", Value::Bool(b)) => Some(
            if *b {
                "Đang hoạt động"
            } else {
                "Đã khóa"
            }
            .into(),
        ),
        ("approved", Value::Bool(b)) => Some(
            if *b {
                "Đồng ý"
            } else {
                "Không đồng ý"
            }
            .into(),
        ),
        ("percent", Value::Number(n)) => Some(format!("{n}%")),
        ("cutoff_day", Value::Number(n)) => Some(format!("ngày {n}")),
        ("due_days", Value::Number(n)) => Some(format!("{n} ngày")),
        ("unit_id", Value::Number(n)) => n.as_i64().map(|id| {
            names
                .units
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "đơn vị không còn trong danh mục".into())
        }),
        ("files", Value::Array(a)) => Some(if a.is_empty() {
            "không có".into()
        } else {
            format!("{} tệp", a.len())
        }),
        ("version", Value::Number(n)) => Some(format!("lần {n}")),
        (_, Value::String(s)) if s.trim().is_empty() => None,
        (_, Value::String(s)) => Some(format!("“{}”", s.trim())),
        (_, Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(action: &str, before: &str, after: &str) -> AuditRow {
        AuditRow {
            id: 7,
            at: "2025-09-30T02:00:00Z".into(),
            actor_id: Some(3),
            actor_login: Some("sonv".into()),
            action: action.into(),
            object_kind: "assignment".into(),
            object_id: Some(1),
            before_json: (!before.is_empty()).then(|| before.into()),
            after_json: (!after.is_empty()).then(|| after.into()),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn names() -> Names {
        let mut n = Names::default();
        n.users.insert(3, "Nguyễn Văn An".into());
        n.units.insert(12, "Sở Tài chính".into());
        n
    }

    #[test]
    fn a_status_change_reads_as_a_sentence_with_names_and_words() {
        let l = describe(
            &row(
                "assignment.confirm",
                r#"{"status":"completion_proposed"}"#,
                r#"{"status":"done","note":"Đạt yêu cầu"}"#,
            ),
            &names(),
        );
        assert_eq!(l.who, "Nguyễn Văn An");
        assert_eq!(l.what, "Xác nhận nhiệm vụ đã hoàn thành");
        assert_eq!(
            l.details,
            vec![
                "Tình trạng: Đề nghị hoàn thành → Hoàn thành".to_string(),
                "Ý kiến: “Đạt yêu cầu”".to_string()
            ]
        );
    }

    #[test]
    fn codes_ids_and_json_never_reach_the_reader() {
        let l = describe(
            &row(
                "report.schedule",
                "",
                r#"{"kind":"quarterly","cutoff_day":15,"due_days":5,"due":"2025-10-20","request":9,"report":4,"unit_id":12}"#,
            ),
            &names(),
        );
        let all = format!("{} {}", l.what, l.details.join(" | "));
        for raw in ["quarterly", "{", "request", "report\"", "2025-10-20", "12"] {
            assert!(!all.contains(raw), "{raw} in {all}");
        }
        assert!(all.contains("Kỳ báo cáo: Hằng quý"), "{all}");
        assert!(all.contains("Hạn: 20/10/2025"), "{all}");
        assert!(all.contains("Đơn vị: Sở Tài chính"), "{all}");
    }

    #[test]
    fn every_recorded_action_has_words() {
        for a in [
            "plan.import",
            "plan.publish",
            "plan.public",
            "assignment.progress",
            "extension.approve",
            "obstacle.answer",
            "obstacle.refer",
            "obstacle.opinion",
            "unit.urge",
            "report.submit",
            "user.password_reset",
            "plan.draft.task.3",
            "plan.draft.target",
            "plan.draft.amends",
            "plan.draft.change",
            "plan.amendment.publish",
            "plan.parent",
            "plan.submit",
            "plan.return",
        ] {
            assert_ne!(action_words(a), "Thay đổi khác", "{a}");
        }
    }
}
