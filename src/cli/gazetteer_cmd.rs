//! `readout gazetteer check|lookup`.

use super::error;
use crate::gazetteer::{check, Sources};
use crate::input::parse_date;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum GazetteerCommand {
    /// Validate gazetteer files (the embedded ones, plus DIR if given) and print counts.
    #[command(after_help = "Example:\n  readout gazetteer check my-gazetteer/")]
    Check {
        /// A folder of TSV files to check together with the embedded data.
        dir: Option<PathBuf>,
    },
    /// Show what a name or title resolves to (on a date, for titles).
    #[command(
        after_help = "Examples:\n  readout gazetteer lookup Blinken\n  readout gazetteer lookup \"Secretary of State\" --date 2013-01-31"
    )]
    Lookup {
        name: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long = "gazetteer")]
        gazetteer: Vec<PathBuf>,
    },
}

pub fn run(cmd: &GazetteerCommand) -> i32 {
    match cmd {
        GazetteerCommand::Check { dir } => {
            let mut src = Sources::embedded();
            if let Some(d) = dir {
                if let Err(e) = src.add_dir(d) {
                    error(e);
                    return 2;
                }
            }
            let rep = check::check(&src);
            for e in &rep.errors {
                println!("error: {e}");
            }
            for p in &rep.problems {
                println!("problem: {p}");
            }
            for (k, v) in rep.counts() {
                println!("{k}\t{v}");
            }
            if rep.errors.is_empty() && rep.problems.is_empty() {
                println!("ok");
                0
            } else {
                println!(
                    "{} errors, {} problems",
                    rep.errors.len(),
                    rep.problems.len()
                );
                1
            }
        }
        GazetteerCommand::Lookup {
            name,
            date,
            gazetteer,
        } => {
            let date = match date.as_deref().map(parse_date).transpose() {
                Ok(d) => d,
                Err(e) => {
                    error(format!("--date: {e}"));
                    return 2;
                }
            };
            let p = match super::pipeline(gazetteer) {
                Ok(p) => p,
                Err(c) => return c,
            };
            let text = name.clone();
            let a = p.annotate("lookup", &text, date);
            let mut found = false;
            for m in &a.entities.mentions {
                found = true;
                let what = match m.entity {
                    Some(e) => {
                        let ent = &a.entities.entities[e];
                        format!("{} ({}, {})", ent.name, ent.id, ent.kind.as_str())
                    }
                    None => "a title no one is known to hold on that date".to_string(),
                };
                println!(
                    "{}\t{}\tvia {:?}{}",
                    a.doc.slice(m.span),
                    what,
                    m.how,
                    m.role
                        .as_ref()
                        .map(|r| format!(" [{r}]"))
                        .unwrap_or_default()
                );
            }
            if !found {
                println!("no entity or title found in '{name}'");
                return 1;
            }
            0
        }
    }
}
