//! The audit page: the audit rows of one object, with each action named in Vietnamese.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use tinhgon_domain::model::Id;
use tinhgon_store::audit as store_audit;

use crate::auth::Viewer;
use crate::error::{WebError, WebResult};
use crate::pages::render;
use crate::request::Path;
use crate::view::{datetime, PageCtx};
use crate::AppState;

struct AuditLine {
    id: i64,
    at: String,
    who: String,
    action: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: PageCtx,
    kind: String,
    object: Id,
    lines: Vec<AuditLine>,
}

/// Vietnamese name of an audited action.
fn action_vi(a: &str) -> String {
    let s = match a {
        "plan.import" => "Nhập kế hoạch",
        "plan.publish" => "Ban hành kế hoạch",
        "plan.public" => "Thay đổi công khai",
        "plan.draft.meta" => "Sửa thông tin văn bản",
        "plan.draft.map" => "Ánh xạ cơ quan",
        "assignment.start" => "Bắt đầu thực hiện",
        "assignment.propose_completion" => "Đề nghị hoàn thành",
        "assignment.confirm" => "Xác nhận hoàn thành",
        "assignment.return" => "Trả lại",
        "assignment.cancel" => "Hủy phân công",
        "assignment.progress" => "Báo cáo tiến độ",
        "extension.request" => "Đề nghị gia hạn",
        "extension.approve" => "Đồng ý gia hạn",
        "extension.refuse" => "Không đồng ý gia hạn",
        "obstacle.raise" => "Báo cáo vướng mắc",
        "obstacle.answer" => "Trả lời vướng mắc",
        "unit.urge" => "Đôn đốc",
        "task.trigger" => "Ghi nhận điều kiện",
        "task.contribution" => "Ý kiến phối hợp",
        "user.create" => "Tạo tài khoản",
        "user.active" => "Khóa/mở tài khoản",
        "user.password" => "Đổi mật khẩu",
        "user.locked" => "Tạm khóa do đăng nhập sai",
        "user.sign_in" => "Đăng nhập",
        "user.sign_out" => "Đăng xuất",
        "register.setup" => "Tạo danh mục từ dữ liệu toàn quốc",
        other if other.starts_with("plan.draft.task") => "Sửa nhiệm vụ trong bản nháp",
        other => other,
    };
    s.to_string()
}

pub use tinhgon_app::audit::AUDIT_KINDS;

/// `GET /audit/{kind}/{object}`: the audit rows of one object (monitors and admin).
pub async fn audit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind, object)): Path<(String, Id)>,
) -> WebResult<Response> {
    if !AUDIT_KINDS.contains(&kind.as_str()) {
        return Err(WebError::NotFound);
    }
    let lines = store_audit::for_object(&state.db, &kind, object)
        .await?
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at: chrono::DateTime::parse_from_rfc3339(&r.at)
                .map(|t| datetime(t.with_timezone(&Utc)))
                .unwrap_or(r.at.clone()),
            who: r.actor_login.unwrap_or_else(|| "Hệ thống".into()),
            action: action_vi(&r.action),
            before: r.before_json.unwrap_or_default(),
            after: r.after_json.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage {
        ctx: PageCtx::new(&viewer, "dashboard"),
        kind,
        object,
        lines,
    })
}
