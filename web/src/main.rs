//! Sets the panic hook and mounts the app; nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(certcheck_web::app::App);
}
