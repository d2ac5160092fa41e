//! Writing query answers: an aligned table for people, CSV/TSV/JSON/XML for programs,
//! Turtle or N-Triples for graphs.

use crate::rdf::query::{display_term, Answer};
use crate::rdf::RdfSyntax;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    Ntriples,
}

pub fn write_answer(
    answer: Answer,
    format: ResultFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match answer {
        Answer::Graph(triples) => {
            let syntax = match format {
                ResultFormat::Ntriples => RdfSyntax::Ntriples,
                _ => RdfSyntax::Turtle,
            };
            crate::rdf::format::write_triples(syntax, triples, out)?;
        }
        Answer::Boolean(b) => match results_format(format) {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut *out, b)?;
                if matches!(format, ResultFormat::Csv | ResultFormat::Tsv) {
                    writeln!(out)?;
                }
            }
            None => writeln!(out, "{b}")?,
        },
        Answer::Solutions { variables, rows } => match results_format(format) {
            Some(f) => {
                let vars: Vec<Variable> = variables.iter().map(Variable::new_unchecked).collect();
                let mut s = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(&mut *out, vars.clone())?;
                for row in &rows {
                    s.serialize(
                        vars.iter()
                            .zip(row)
                            .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
                    )?;
                }
                s.finish()?;
            }
            None => write_table(&variables, &rows, out)?,
        },
    }
    Ok(())
}

fn results_format(format: ResultFormat) -> Option<QueryResultsFormat> {
    match format {
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    }
}

const MAX_CELL: usize = 80;

fn cell(term: &Option<Term>) -> String {
    let s = term.as_ref().map(display_term).unwrap_or_default();
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() > MAX_CELL {
        let cut: String = s.chars().take(MAX_CELL - 1).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// An aligned table with a header rule and a row count.
pub fn write_table(
    variables: &[String],
    rows: &[Vec<Option<Term>>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell).collect()).collect();
    let mut widths: Vec<usize> = variables.iter().map(|v| v.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line =
        |out: &mut dyn Write, values: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
            let mut first = true;
            let mut text = String::new();
            for (v, w) in values.zip(&widths) {
                if !first {
                    text.push_str("  ");
                }
                first = false;
                text.push_str(v);
                text.extend(std::iter::repeat_n(' ', w - v.chars().count()));
            }
            writeln!(out, "{}", text.trim_end())
        };
    line(out, &mut variables.iter().map(String::as_str))?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(out, &mut rule.iter().map(String::as_str))?;
    for row in &cells {
        line(out, &mut row.iter().map(String::as_str))?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
