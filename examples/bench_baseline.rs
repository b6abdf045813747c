//! The benchmark's baseline (bench/README.md): a bare actix-web server answering every
//! `POST /graphql` (and any GET) with the same JSON bytes, read once from a file — the body the
//! real `cases` list returned — so the list's throughput can be compared with what actix
//! itself does on this machine for a body of that size.
//!
//! `bench_baseline <body.json> <addr>` (e.g. `127.0.0.1:18081`).

use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: bench_baseline <body.json> <addr>");
        std::process::exit(2);
    };
    let body = web::Bytes::from(std::fs::read(&path)?);
    eprintln!("serving {} bytes on {addr}", body.len());
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(body)
            }
        }))
    })
    .bind(addr)?
    .run()
    .await
}
