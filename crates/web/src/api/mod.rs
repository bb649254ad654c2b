//! The JSON API: every operation of the pages with the same rights, reached with the session
//! cookie (plus the `x-csrf-token` header on changes) or `Authorization: Bearer <token>`, and
//! described by the OpenAPI 3 document at `/api/openapi.json`. Handlers parse JSON, call the
//! same functions as the pages, and answer JSON; every error is `{"error": "<tiếng Việt>"}`.

pub mod account;
pub mod amendment;
pub mod cascade;
pub mod comments;
pub mod functions;
pub mod lists;
pub mod monitor;
pub mod plan_changes;
pub mod plans;
pub mod positions;
pub mod referrals;
pub mod register;
pub mod register_update;
pub mod request;
pub mod restructuring;
pub mod review;
pub mod scenarios;
pub mod staffing;
pub mod work;

use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoResponses, OpenApi, ToSchema};

pub use account::{create_token, me};

/// An error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Vietnamese message.
    pub error: String,
}

// The error answers an operation can give, one type per status, so that each operation lists
// them by name and they are described once.

/// The request is malformed or a field is invalid; the message says which and how to fix it.
#[derive(IntoResponses)]
#[response(status = 400)]
pub struct BadRequest(pub ErrorBody);

/// Nobody is signed in (no valid session cookie or bearer token).
#[derive(IntoResponses)]
#[response(status = 401)]
pub struct Unauthorized(pub ErrorBody);

/// The caller's role or unit has no right to do this.
#[derive(IntoResponses)]
#[response(status = 403)]
pub struct Forbidden(pub ErrorBody);

/// The object does not exist, or the caller may not know that it does.
#[derive(IntoResponses)]
#[response(status = 404)]
pub struct NotFound(pub ErrorBody);

/// The request conflicts with the object's current state.
#[derive(IntoResponses)]
#[response(status = 409)]
pub struct Conflict(pub ErrorBody);

/// The upload is larger than the configured limit.
#[derive(IntoResponses)]
#[response(status = 413)]
pub struct TooLarge(pub ErrorBody);

/// The answer of a change: a message for people and the object it made or touched.
#[derive(Serialize, ToSchema)]
pub struct Done {
    /// Vietnamese message.
    pub message: String,
    /// Object created or changed.
    pub id: Option<i64>,
    /// Workflow status after the change, when it moved.
    pub status: Option<String>,
}

impl Done {
    /// A message alone.
    pub fn msg(message: impl Into<String>) -> Done {
        Done {
            message: message.into(),
            id: None,
            status: None,
        }
    }

    /// A message and an object id.
    pub fn with_id(message: impl Into<String>, id: impl Into<i64>) -> Done {
        Done {
            id: Some(id.into()),
            ..Done::msg(message)
        }
    }
}

/// Result of a handler.
pub type Answer<T> = crate::error::ApiResult<axum::Json<T>>;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let comps = openapi.components.get_or_insert_with(Default::default);
        comps.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Mã truy cập tạo bằng POST /api/tokens; không cần mã CSRF.",
                    ))
                    .build(),
            ),
        );
        comps.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Phiên đăng nhập của trình duyệt; mọi yêu cầu thay đổi dữ liệu phải kèm tiêu đề x-csrf-token (lấy từ GET /api/me).",
            ))),
        );
    }
}

/// The OpenAPI description of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "tinhgon API",
        description = "API điều hành sắp xếp, tinh gọn tổ chức bộ máy: cùng thao tác và cùng quyền như giao diện web."
    ),
    paths(
        account::me,
        account::create_token,
        account::users,
        account::create_user,
        account::set_active,
        account::notifications,
        account::mark_read,
        plans::list,
        plans::show,
        review::import,
        review::review,
        review::edit_meta,
        review::edit_task,
        review::map_agency,
        review::publish,
        cascade::picker,
        cascade::set_parent,
        cascade::submit,
        cascade::return_to_unit,
        cascade::tree,
        cascade::task_rollup,
        plans::set_public,
        work::inbox,
        work::show,
        work::progress,
        work::propose,
        work::extension,
        work::obstacle,
        work::contribute,
        comments::list,
        comments::post,
        monitor::dashboard,
        lists::assignments,
        lists::approvals,
        lists::decide,
        plan_changes::reassign,
        plan_changes::change_due,
        plan_changes::add_coordinator,
        plan_changes::withdraw_coordinator,
        plan_changes::withdraw_task,
        plan_changes::add_task,
        plan_changes::list,
        amendment::choose,
        amendment::edit_change,
        amendment::list,
        monitor::decide,
        monitor::decide_extension,
        monitor::answer_obstacle,
        referrals::refer,
        referrals::opinion,
        referrals::list,
        monitor::trigger,
        monitor::urge,
        monitor::urge_many,
        register::units,
        register::unit,
        register::lineage,
        register::unit_lineage,
        register::search,
        register::audit,
        staffing::status,
        staffing::targets,
        staffing::add_target,
        staffing::ledger,
        staffing::record,
        positions::province,
        positions::list,
        positions::add,
        positions::edit,
        positions::remove,
        register_update::preview,
        register_update::apply,
        restructuring::add_unit,
        restructuring::move_unit,
        restructuring::close_unit,
        restructuring::alias,
        restructuring::list,
        restructuring::preview,
        restructuring::record,
        restructuring::cancel,
        functions::check,
        functions::list,
        functions::add,
        functions::end,
        scenarios::list,
        scenarios::create,
        scenarios::show,
        scenarios::compare,
        scenarios::add_event,
        scenarios::remove_event,
        scenarios::apply,
    ),
    components(schemas(ErrorBody, Done)),
    modifiers(&Security),
    security(("bearer" = []), ("cookie" = []))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_of_the_table_is_documented_and_back() {
        let doc = ApiDoc::openapi();
        let documented: Vec<(String, String)> = doc
            .paths
            .paths
            .iter()
            .flat_map(|(p, item)| {
                let mut v = Vec::new();
                if item.get.is_some() {
                    v.push((p.clone(), "get".to_string()));
                }
                if item.post.is_some() {
                    v.push((p.clone(), "post".to_string()));
                }
                v
            })
            .collect();
        let routed: Vec<(String, String)> = crate::routes::specs()
            .into_iter()
            .filter(|s| s.path.starts_with("/api/") && s.path != "/api/openapi.json")
            .map(|s| {
                let verb = match s.verb {
                    crate::routes::Verb::Get => "get",
                    crate::routes::Verb::Post => "post",
                };
                (s.path.to_string(), verb.to_string())
            })
            .collect();
        for r in &routed {
            assert!(documented.contains(r), "chưa mô tả {r:?}");
        }
        for d in &documented {
            assert!(routed.contains(d), "mô tả thừa {d:?}");
        }
    }
}
