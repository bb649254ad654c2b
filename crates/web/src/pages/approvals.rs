//! The approval queue page ("Chờ xử lý"): what units asked the monitor, oldest first, with a
//! decision on the checked items and one note.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tinhgon_app::approvals::{self, BatchForm};
use tinhgon_store::approvals::PendingKind;

use crate::auth::Viewer;
use crate::error::WebResult;
use crate::pages::dashboard::short;
use crate::pages::{redirect_flash, redirect_ok, render};
use crate::view::{date_opt, datetime, PageCtx};
use crate::AppState;

/// One waiting item.
struct Item {
    key: String,
    assignment_id: i64,
    plan: String,
    task_ref: String,
    content: String,
    unit: String,
    at: String,
    text: String,
    change: String,
}

/// One part of the queue.
struct Part {
    title: &'static str,
    id: &'static str,
    approve: &'static str,
    refuse: &'static str,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    ctx: PageCtx,
    total: u64,
    shown: usize,
    more: bool,
    parts: Vec<Part>,
}

/// `GET /approvals`.
pub async fn page(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let user = viewer.require()?;
    let province = crate::auth::listing_province(&state, &viewer).await?;
    let queue = approvals::queue(&state.db, user, province).await?;
    let shown = queue.len();
    let total = approvals::count(&state.db, user, province).await?;
    let mut parts = vec![
        Part {
            title: "Đề nghị xác nhận hoàn thành",
            id: "completion",
            approve: "Xác nhận hoàn thành",
            refuse: "Trả lại",
            items: Vec::new(),
        },
        Part {
            title: "Đề nghị gia hạn",
            id: "extension",
            approve: "Đồng ý gia hạn",
            refuse: "Không đồng ý",
            items: Vec::new(),
        },
        Part {
            title: "Khó khăn, vướng mắc chờ trả lời",
            id: "obstacle",
            approve: "Trả lời",
            refuse: "",
            items: Vec::new(),
        },
    ];
    for p in queue {
        let i = match p.kind {
            PendingKind::Completion => 0,
            PendingKind::Extension => 1,
            PendingKind::Obstacle => 2,
        };
        parts[i].items.push(Item {
            key: format!("{}:{}", p.kind.as_str(), p.id),
            assignment_id: p.assignment_id,
            plan: p.plan_number.unwrap_or_default(),
            task_ref: p.task_ref,
            content: short(&p.content, 160),
            unit: p.unit,
            at: datetime(p.at),
            text: p.text.unwrap_or_default(),
            change: match p.kind {
                PendingKind::Extension => {
                    format!("Hạn {} → {}", date_opt(p.due), date_opt(p.new_due))
                }
                _ => String::new(),
            },
        });
    }
    render(&ApprovalsPage {
        ctx: PageCtx::new(&viewer, "approvals"),
        total,
        shown,
        more: (shown as u64) < total,
        parts,
    })
}

/// The batch form: repeated `item` fields, `decision`, `note` (a form with several boxes of
/// the same name, which the usual form decoder does not take).
pub fn batch_form(body: &[u8]) -> BatchForm {
    let mut f = BatchForm::default();
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "item" => f.items.push(v.into_owned()),
            "decision" => f.decision = v.into_owned(),
            "note" => f.note = v.into_owned(),
            _ => {}
        }
    }
    f
}

/// `POST /approvals/decide`.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let user = viewer.require()?.clone();
    let out = approvals::decide_many(&state.db, &user, batch_form(&body)).await?;
    if out.failed.is_empty() {
        Ok(redirect_ok(
            &state,
            "/approvals",
            &format!("Đã xử lý {} mục.", out.done),
        ))
    } else {
        Ok(redirect_flash(
            &state,
            "/approvals",
            "error",
            &format!(
                "Đã xử lý {} mục; {} mục không xử lý được: {}",
                out.done,
                out.failed.len(),
                out.failed.join("; ")
            ),
        ))
    }
}
