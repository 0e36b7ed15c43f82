//! Browser entry point: mounts the Yew app (all logic lives in the library and the engine crates).

fn main() {
    kmslab_web::start();
}
