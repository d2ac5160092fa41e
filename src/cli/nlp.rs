//! `newsgraph train …` and `newsgraph eval …`: train the NLP models, score them on gold data.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use crate::nlp::conllu::{self, GoldSentence};
use crate::nlp::eval;
use crate::nlp::parser::Parser;
use crate::nlp::tagger::Tagger;
use crate::nlp::Pipeline;

const EWT_TRAIN: &str = "../shared/corpora/ud-en-ewt/en_ewt-ud-train.conllu";
const GUM_TRAIN: &str = "../shared/corpora/ud-en-gum-open/en_gum-open-train.conllu";
const EWT_DEV: &str = "../shared/corpora/ud-en-ewt/en_ewt-ud-dev.conllu";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrainComponent {
    /// POS tagger (UPOS + XPOS) and lemmatizer → tagger.bin
    Tagger,
    /// Dependency parser → parser.bin
    Parser,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalComponent {
    /// Tokens and sentence boundaries of `text::segment` on the raw `# text` lines
    Tokenize,
    /// UPOS, XPOS and lemmas on gold tokens
    Tagger,
    /// UAS and LAS on gold tokens with predicted tags (also reports the tagger figures)
    Parser,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Train a model from CoNLL-U treebanks.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Which model to train.
    #[arg(value_enum)]
    pub component: TrainComponent,
    /// Training treebanks (CoNLL-U).
    #[arg(long, num_args = 1.., default_values = [EWT_TRAIN, GUM_TRAIN])]
    pub train: Vec<PathBuf>,
    /// Development treebank scored after every iteration (to stderr).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Output directory for tagger.bin / parser.bin.
    #[arg(long, default_value = "data/models")]
    pub out: PathBuf,
    /// Training passes over the data.
    #[arg(long, default_value_t = 8)]
    pub iterations: usize,
    /// Seed of the shuffling / exploration RNG.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep at most this many weights (largest magnitude); default 1,500,000 for the tagger,
    /// 4,500,000 for the parser.
    #[arg(long)]
    pub max_weights: Option<usize>,
    /// Tagger: train only the left-to-right pass (no second pass seeing right-context tags).
    #[arg(long)]
    pub one_pass: bool,
    /// Parser only: train on tags predicted by K-fold jackknifed taggers (0 = gold tags).
    #[arg(long, default_value_t = 0)]
    pub jackknife: usize,
    /// Parser only: tagger iterations for the (one-pass) jackknife taggers.
    #[arg(long, default_value_t = 6)]
    pub tagger_iterations: usize,
}

/// Score a component on a gold CoNLL-U file.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Which component to score.
    #[arg(value_enum)]
    pub component: EvalComponent,
    /// Gold treebank (CoNLL-U).
    #[arg(long, default_value = EWT_DEV)]
    pub gold: PathBuf,
    /// Output format; `json` prints one JSON object on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only documents whose `# newdoc id` starts with this (e.g. `GUM_news`).
    #[arg(long)]
    pub doc_prefix: Option<String>,
    /// Load tagger.bin and parser.bin from this directory instead of the embedded models.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<GoldSentence>> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(conllu::read(p).with_context(|| format!("reading {}", p.display()))?);
    }
    Ok(out)
}

fn write_model(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

fn predicted_xpos(t: &Tagger, sents: &[GoldSentence]) -> Vec<Vec<String>> {
    sents
        .iter()
        .map(|s| {
            let forms: Vec<String> = s
                .words
                .iter()
                .map(|w| crate::nlp::normalize(&w.form).into_owned())
                .collect();
            let f: Vec<&str> = forms.iter().map(|x| x.as_str()).collect();
            t.tag(&f).iter().map(|x| t.xpos[x.xpos].clone()).collect()
        })
        .collect()
}

/// Trains the chosen component; writes `tagger.bin` or `parser.bin` into `--out`.
pub fn train(args: &TrainArgs) -> Result<()> {
    let started = Instant::now();
    let data = read_all(&args.train)?;
    if data.is_empty() {
        bail!("no training sentences in {:?}", args.train);
    }
    let dev = match &args.dev {
        Some(p) => Some(conllu::read(p).with_context(|| format!("reading {}", p.display()))?),
        None => None,
    };
    eprintln!(
        "{} training sentences, {} words",
        data.len(),
        data.iter().map(|s| s.words.len()).sum::<usize>()
    );
    match args.component {
        TrainComponent::Tagger => {
            let t = Tagger::train(
                &data,
                dev.as_deref(),
                args.iterations,
                args.seed,
                args.max_weights.unwrap_or(1_500_000),
                !args.one_pass,
            );
            eprintln!(
                "tagger: {} features, {} weights",
                t.model.n_features(),
                t.model.n_weights()
            );
            write_model(&args.out, "tagger.bin", &t.to_bytes())?;
        }
        TrainComponent::Parser => {
            let tags: Vec<Vec<String>> = if args.jackknife >= 2 {
                let k = args.jackknife;
                let mut tags = vec![Vec::new(); data.len()];
                for fold in 0..k {
                    let train: Vec<GoldSentence> = data
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % k != fold)
                        .map(|(_, s)| s.clone())
                        .collect();
                    let held: Vec<usize> = (0..data.len()).filter(|i| i % k == fold).collect();
                    let t = Tagger::train(
                        &train,
                        None,
                        args.tagger_iterations,
                        args.seed,
                        usize::MAX,
                        false,
                    );
                    let held_sents: Vec<GoldSentence> =
                        held.iter().map(|&i| data[i].clone()).collect();
                    for (i, x) in held.into_iter().zip(predicted_xpos(&t, &held_sents)) {
                        tags[i] = x;
                    }
                    eprintln!("jackknife fold {}/{} tagged", fold + 1, k);
                }
                tags
            } else {
                data.iter()
                    .map(|s| s.words.iter().map(|w| w.xpos.clone()).collect())
                    .collect()
            };
            // Dev tags: predicted by the tagger in --out if there is one, else gold.
            let dev_tags = match (&dev, std::fs::read(args.out.join("tagger.bin"))) {
                (Some(d), Ok(bytes)) if !bytes.is_empty() => {
                    Some(predicted_xpos(&Tagger::from_bytes(&bytes)?, d))
                }
                (Some(d), _) => Some(
                    d.iter()
                        .map(|s| s.words.iter().map(|w| w.xpos.clone()).collect())
                        .collect(),
                ),
                _ => None,
            };
            let dev_pair = match (&dev, &dev_tags) {
                (Some(d), Some(t)) => Some((d.as_slice(), t.as_slice())),
                _ => None,
            };
            let (p, skipped) = Parser::train(
                &data,
                &tags,
                dev_pair,
                args.iterations,
                args.seed,
                args.max_weights.unwrap_or(4_500_000),
            );
            eprintln!(
                "parser: {} features, {} weights, {} non-projective sentences skipped",
                p.model.n_features(),
                p.model.n_weights(),
                skipped
            );
            write_model(&args.out, "parser.bin", &p.to_bytes())?;
        }
    }
    eprintln!("training took {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Scores the chosen component on `--gold`.
pub fn eval(args: &EvalArgs) -> Result<()> {
    let mut gold =
        conllu::read(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    if let Some(prefix) = &args.doc_prefix {
        gold = eval::filter_docs(gold, prefix);
    }
    if gold.is_empty() {
        bail!("no gold sentences selected in {}", args.gold.display());
    }
    let words: usize = gold.iter().map(|s| s.words.len()).sum();
    let mut fields: Vec<(&str, f64)> = Vec::new();
    let mut extra = String::new();
    match args.component {
        EvalComponent::Tokenize => {
            let (t, s) = eval::tokenize_scores(&gold);
            fields.push(("tokens_f1", t));
            fields.push(("sentences_f1", s));
        }
        EvalComponent::Tagger | EvalComponent::Parser => {
            let owned;
            let p: &Pipeline = match &args.models {
                Some(dir) => {
                    owned = Pipeline::from_dir(dir)?;
                    &owned
                }
                None => Pipeline::try_embedded().map_err(|e| anyhow::anyhow!("{e}"))?,
            };
            let t0 = Instant::now();
            let s = eval::tag_parse_scores(p, &gold);
            let secs = t0.elapsed().as_secs_f64();
            fields.push(("upos", s.upos));
            fields.push(("xpos", s.xpos));
            fields.push(("lemma", s.lemma));
            if args.component == EvalComponent::Parser {
                fields.push(("uas", s.uas));
                fields.push(("las", s.las));
                extra = format!(
                    "las (universal labels, CoNLL 2018 style): {:.4}\n",
                    s.las_universal
                );
            }
            extra.push_str(&format!(
                "tag+parse speed: {:.0} words/s\n",
                s.words as f64 / secs.max(1e-9)
            ));
        }
    }
    match args.format {
        Format::Json => {
            let mut obj = serde_json::Map::new();
            for (k, v) in &fields {
                obj.insert((*k).to_string(), serde_json::json!(v));
            }
            println!("{}", serde_json::Value::Object(obj));
        }
        Format::Text => {
            println!(
                "{} on {} ({} sentences, {} words)",
                match args.component {
                    EvalComponent::Tokenize => "tokenize",
                    EvalComponent::Tagger => "tagger",
                    EvalComponent::Parser => "parser",
                },
                args.gold.display(),
                gold.len(),
                words
            );
            for (k, v) in &fields {
                println!("{k}: {v:.4}");
            }
            print!("{extra}");
        }
    }
    Ok(())
}
