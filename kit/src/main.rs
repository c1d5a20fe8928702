//! `app-server-kit`: a mock app server (`mock`), a conformance kit (`conform server`,
//! `conform client`) and a stand-in model API for a real app server (`model`). See the README sections "Develop a frontend against the mock" and
//! "Check your server / client with the conformance kit".

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "app-server-kit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a stand-in app server on stdio or a loopback WebSocket.
    Mock(app_server_kit::mock::MockArgs),
    /// Check a server or a client against the contract.
    #[command(subcommand)]
    Conform(app_server_kit::conform::ConformCommand),
    /// Run a scripted stand-in of the model API (the Responses API) on a loopback port.
    Model(app_server_kit::model::ModelArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mock(args) => app_server_kit::mock::main(args),
        Command::Conform(command) => app_server_kit::conform::main(command),
        Command::Model(args) => app_server_kit::model::main(args),
    }
}
