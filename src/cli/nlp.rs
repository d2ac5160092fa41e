//! `newsgraph train …` and `newsgraph eval …`: train the NLP models, score them on gold data.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use crate::nlp::conllu::{self, GoldSentence};
use crate::nlp::eval;
use crate::nlp::ner::{self, NerSentence, NerTagger};
use crate::nlp::parser::Parser;
use crate::nlp::tagger::Tagger;
use crate::nlp::Pipeline;

const EWT_TRAIN: &str = "../shared/corpora/ud-en-ewt/en_ewt-ud-train.conllu";
const GUM_TRAIN: &str = "../shared/corpora/ud-en-gum-open/en_gum-open-train.conllu";
const EWT_DEV: &str = "../shared/corpora/ud-en-ewt/en_ewt-ud-dev.conllu";
const UNER_TRAIN: &str = "../shared/corpora/uner-en-ewt/en_ewt-ud-train.iob2";
const UNER_DEV: &str = "../shared/corpora/uner-en-ewt/en_ewt-ud-dev.iob2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrainComponent {
    /// POS tagger (UPOS + XPOS) and lemmatizer → tagger.bin
    Tagger,
    /// Dependency parser → parser.bin
    Parser,
    /// Named-entity tagger (PER, ORG, LOC) → ner.bin, from IOB2 column files
    Ner,
    /// Pronoun resolver weights → pronoun.tsv, from GAP validation (+ GUM train coreference)
    Pronoun,
    /// Brown word clusters → clusters.txt, from unlabeled text: the words of CoNLL-U files,
    /// KnowledgeNet passages (.jsonl) and GAP texts (.tsv); default EWT and GUM-open train,
    /// KnowledgeNet, GAP validation
    Clusters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalComponent {
    /// Tokens and sentence boundaries of `text::segment` on the raw `# text` lines
    Tokenize,
    /// UPOS, XPOS and lemmas on gold tokens
    Tagger,
    /// UAS and LAS on gold tokens with predicted tags (also reports the tagger figures)
    Parser,
    /// Entity-level exact-match precision, recall and F1 on an IOB2 column file
    Ner,
    /// Pronoun resolution on a GAP file (F1 as GAP defines it, no page context)
    Gap,
    /// Open IE tuples scored with CaRB's matching on a CaRB gold file (AUC, best F1, and the
    /// precision per confidence decile, `decile_1` … `decile_10`)
    Openie,
    /// Roles (worksFor, CEO titles) on KnowledgeNet passages: precision and recall
    Roles,
    /// Typed relations (Work_For, Kill, OrgBased_In, Live_In, Located_In) on CoNLL04
    /// (SpERT JSON): strict micro precision, recall and F1
    Conll04,
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
    /// Training files: CoNLL-U treebanks (default: EWT and GUM-open train) or, for `ner`,
    /// IOB2 column files (default: UNER EWT train).
    #[arg(long, num_args = 1..)]
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
    /// Tagger, NER and parser: train this many runs with seeds SEED, SEED+1, … and keep the
    /// mean of their weights (one model of the same size class; default 3; the tagger and
    /// the parser train two runs at a time on two cores).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Keep at most this many weights (largest magnitude); default 1,500,000 for the tagger,
    /// 4,500,000 for the parser.
    #[arg(long)]
    pub max_weights: Option<usize>,
    /// Tagger: train only the left-to-right pass (no second pass seeing right-context tags).
    #[arg(long)]
    pub one_pass: bool,
    /// Parser and NER: train on tags predicted by K-fold jackknifed taggers (parser: 0 = gold
    /// tags; NER: 0 = the tags of the tagger in --out or the embedded one).
    #[arg(long, default_value_t = 0)]
    pub jackknife: usize,
    /// Parser and NER: tagger iterations for the (one-pass) jackknife taggers.
    #[arg(long, default_value_t = 6)]
    pub tagger_iterations: usize,
    /// Clusters only: number of clusters (the window of Brown's algorithm).
    #[arg(long, default_value_t = 256)]
    pub clusters: usize,
    /// Clusters only: words seen fewer times get no cluster.
    #[arg(long, default_value_t = 2)]
    pub min_count: usize,
}

/// Score a component on a gold CoNLL-U file.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Which component to score.
    #[arg(value_enum)]
    pub component: EvalComponent,
    /// Gold file: a CoNLL-U treebank (default: EWT dev) or, for `ner`, an IOB2 column file
    /// (default: UNER EWT dev).
    #[arg(long)]
    pub gold: Option<PathBuf>,
    /// `ner` only: 1-based column of the word form (UNER's 5-column files: 2).
    #[arg(long, default_value_t = 2)]
    pub form_column: usize,
    /// `ner` only: 1-based column of the IOB2 tag (UNER's 5-column files: 3).
    #[arg(long, default_value_t = 3)]
    pub tag_column: usize,
    /// `tagger`/`parser`: print the most frequent UPOS confusions to stderr; `ner`: print every missed and every spurious entity to stderr; `openie`: print every
    /// extraction to stderr; `conll04`: print every missed and every spurious relation.
    #[arg(long)]
    pub show_errors: bool,
    /// Output format; `json` prints one JSON object on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only documents whose `# newdoc id` starts with this (e.g. `GUM_news`).
    #[arg(long)]
    pub doc_prefix: Option<String>,
    /// Load tagger.bin, parser.bin (and ner.bin) from this directory instead of the embedded
    /// models; `eval gap` also reads pronoun.tsv there when present.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<GoldSentence>> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(conllu::read(p)?);
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
    if args.component == TrainComponent::Ner {
        return train_ner(args, started);
    }
    if args.component == TrainComponent::Pronoun {
        return train_pronoun(args, started);
    }
    if args.component == TrainComponent::Clusters {
        return train_clusters(args, started);
    }
    let paths = if args.train.is_empty() {
        vec![PathBuf::from(EWT_TRAIN), PathBuf::from(GUM_TRAIN)]
    } else {
        args.train.clone()
    };
    let data = read_all(&paths)?;
    if data.is_empty() {
        bail!("no training sentences in {paths:?}");
    }
    let dev = match &args.dev {
        Some(p) => Some(conllu::read(p)?),
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
                args.runs.unwrap_or(3),
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
                    let t = jackknife_tagger(&train, args);
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
            let settings = crate::nlp::parser::TrainSettings {
                iterations: args.iterations,
                seed: args.seed,
                runs: args.runs.unwrap_or(3),
                max_weights: args.max_weights.unwrap_or(4_500_000),
                // The global `--beam`: the width the model is trained to be searched with.
                beam: crate::nlp::requested_beam().unwrap_or(1),
            };
            let (p, skipped) = Parser::train(&data, &tags, dev_pair, &settings);
            eprintln!(
                "parser: {} features, {} weights, {} sentences skipped (not single-rooted)",
                p.model.n_features(),
                p.model.n_weights(),
                skipped
            );
            write_model(&args.out, "parser.bin", &p.to_bytes())?;
        }
        TrainComponent::Ner | TrainComponent::Pronoun | TrainComponent::Clusters => {
            unreachable!("handled above")
        }
    }
    eprintln!("training took {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Scores the chosen component on `--gold`.
pub fn eval(args: &EvalArgs) -> Result<()> {
    match args.component {
        EvalComponent::Ner => return eval_ner(args),
        EvalComponent::Gap => return eval_gap(args),
        EvalComponent::Openie => return eval_openie(args),
        EvalComponent::Roles => return eval_roles(args),
        EvalComponent::Conll04 => return eval_conll04(args),
        _ => {}
    }
    let gold_path = args.gold.clone().unwrap_or_else(|| PathBuf::from(EWT_DEV));
    let mut gold = conllu::read(&gold_path)?;
    if let Some(prefix) = &args.doc_prefix {
        gold = eval::filter_docs(gold, prefix);
    }
    if gold.is_empty() {
        bail!("no gold sentences selected in {}", gold_path.display());
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
        EvalComponent::Ner
        | EvalComponent::Gap
        | EvalComponent::Openie
        | EvalComponent::Roles
        | EvalComponent::Conll04 => {
            unreachable!("handled above")
        }
        EvalComponent::Tagger | EvalComponent::Parser => {
            let mut owned;
            let p: &Pipeline = match &args.models {
                Some(dir) => {
                    owned = Pipeline::from_dir(dir)?;
                    if let Some(w) = crate::nlp::requested_beam() {
                        owned.parser.beam = w;
                        warn_untrained_beam(&owned.parser);
                    }
                    &owned
                }
                None => {
                    let p = Pipeline::try_embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
                    warn_untrained_beam(&p.parser);
                    p
                }
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
            if args.show_errors {
                let mut pairs: Vec<_> = s.upos_confusion.iter().collect();
                pairs.sort_by_key(|(k, n)| (std::cmp::Reverse(**n), (*k).clone()));
                eprintln!("UPOS errors (gold -> predicted):");
                for ((g, p), n) in pairs.into_iter().take(40) {
                    eprintln!("{n:6}  {g} -> {p}");
                }
                if args.component == EvalComponent::Parser {
                    let mut rels: Vec<_> = s.deprel_errors.iter().collect();
                    rels.sort_by_key(|(r, c)| (std::cmp::Reverse(c[1] + c[2]), (*r).clone()));
                    eprintln!("errors by gold relation: words, wrong head, right head wrong label");
                    for (r, [words, head, label]) in rels {
                        eprintln!("{r:>12} {words:6} {head:6} {label:6}");
                    }
                }
            }
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
                    EvalComponent::Ner => "ner",
                    EvalComponent::Gap => "gap",
                    EvalComponent::Openie => "openie",
                    EvalComponent::Roles => "roles",
                    EvalComponent::Conll04 => "conll04",
                },
                gold_path.display(),
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

/// Warns when a parser is asked to search a beam it was not trained for: the summed scores
/// of a greedily trained model rank whole parses badly.
pub(super) fn warn_untrained_beam(p: &crate::nlp::parser::Parser) {
    if p.beam > 1 && p.trained_beam == 1 {
        eprintln!(
            "newsgraph: warning: the parser was trained for greedy parsing; a beam of {} makes \
             it less accurate (train one for the beam with `newsgraph --beam {} train parser`)",
            p.beam, p.beam
        );
    }
}

/// Reads IOB2 column files and fills in the XPOS tags our tagger predicts for them, which is
/// what the NER model sees at run time.
fn read_ner(
    paths: &[PathBuf],
    form: usize,
    tag: usize,
    tagger: &Tagger,
    doc_prefix: Option<&str>,
) -> Result<Vec<NerSentence>> {
    if form == 0 || tag == 0 {
        bail!("--form-column and --tag-column are 1-based");
    }
    let mut out = Vec::new();
    for p in paths {
        let conllu = p.extension().is_some_and(|e| e == "conllu");
        if doc_prefix.is_some() && !conllu {
            bail!(
                "{}: --doc-prefix selects documents of a CoNLL-U file; IOB2 column files have no document ids",
                p.display()
            );
        }
        let mut sents = if conllu {
            let mut src =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            if let Some(prefix) = doc_prefix {
                src = eval::filter_doc_text(&src, prefix);
            }
            ner::parse_gum_entities(&src)
        } else {
            ner::read_columns(p, form - 1, tag - 1)?
        };
        // Document numbers restart in every file; keep them distinct.
        let base = out.last().map_or(0, |s: &NerSentence| s.doc + 1);
        for s in &mut sents {
            s.doc += base;
            s.xpos = tag_xpos(tagger, &s.forms);
        }
        out.extend(sents);
    }
    Ok(out)
}

/// GAP's validation file, the resolver's training data (development stays for scoring).
const GAP_VALIDATION: &str = "../shared/corpora/gap/gap-validation.tsv";

/// Fits the pronoun resolver's weights: `--train` takes a GAP TSV file first and then any
/// CoNLL-U files with coreference annotation (default: GAP validation and GUM-open train).
/// Uses the pipeline's models from `--out` when present, so a full retrain chains.
/// The words of unlabeled sentences for `train clusters`: CoNLL-U forms as annotated; the
/// passages of a KnowledgeNet .jsonl (each once) and the texts of a GAP .tsv cut by
/// `text::segment`, as the pipeline cuts news.
fn unlabeled_sentences(path: &Path) -> Result<Vec<Vec<String>>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let read =
        || std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()));
    let texts: Vec<String> = match ext {
        "conllu" => {
            return Ok(read_all(&[path.to_path_buf()])?
                .iter()
                .map(|s| {
                    s.words
                        .iter()
                        .map(|w| crate::nlp::normalize(&w.form).into_owned())
                        .collect()
                })
                .collect())
        }
        "jsonl" => {
            let mut seen = std::collections::BTreeSet::new();
            let mut out = Vec::new();
            for (n, line) in read()?.lines().enumerate() {
                let v: serde_json::Value = serde_json::from_str(line)
                    .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
                if let Some(t) = v.get("passageText").and_then(|t| t.as_str()) {
                    if seen.insert(t.to_string()) {
                        out.push(t.to_string());
                    }
                }
            }
            out
        }
        "tsv" => read()?
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
            .collect(),
        _ => bail!(
            "{}: expected a .conllu, .jsonl (KnowledgeNet) or .tsv (GAP) file",
            path.display()
        ),
    };
    let mut out = Vec::new();
    for t in &texts {
        let seg = crate::text::segment(t);
        for s in &seg.sentences {
            out.push(
                s.tokens
                    .clone()
                    .map(|i| crate::nlp::normalize(seg.word(t, i)).into_owned())
                    .collect(),
            );
        }
    }
    Ok(out)
}

fn train_clusters(args: &TrainArgs, started: Instant) -> Result<()> {
    let paths = if args.train.is_empty() {
        vec![
            PathBuf::from(EWT_TRAIN),
            PathBuf::from(GUM_TRAIN),
            PathBuf::from(KNOWLEDGENET),
            PathBuf::from(GAP_VALIDATION),
        ]
    } else {
        args.train.clone()
    };
    let mut sents = Vec::new();
    for p in &paths {
        sents.extend(unlabeled_sentences(p)?);
    }
    let words: usize = sents.iter().map(Vec::len).sum();
    if words == 0 {
        bail!("no words in {paths:?}");
    }
    eprintln!("{} sentences, {words} words", sents.len());
    let clusters = crate::nlp::clusters::WordClusters::train(&sents, args.clusters, args.min_count);
    eprintln!("{} words in {} clusters", clusters.len(), args.clusters);
    let mut text = format!(
        "# Brown clusters (`newsgraph train clusters --clusters {} --min-count {}`): path<TAB>word\n",
        args.clusters, args.min_count
    );
    text.push_str(&clusters.to_text());
    write_model(&args.out, "clusters.txt", text.as_bytes())?;
    eprintln!("training took {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn train_pronoun(args: &TrainArgs, started: Instant) -> Result<()> {
    let (gap, coref): (PathBuf, Vec<PathBuf>) = match args.train.split_first() {
        Some((first, rest)) => (first.clone(), rest.to_vec()),
        None => (
            PathBuf::from(GAP_VALIDATION),
            vec![PathBuf::from(GUM_TRAIN)],
        ),
    };
    let mut extra = Vec::new();
    for p in &coref {
        extra.extend(crate::extract::pronoun::read_coref_conllu(p)?);
    }
    let models = args
        .out
        .join("parser.bin")
        .exists()
        .then_some(args.out.as_path());
    let p = pipeline(models)?;
    let (weights, scores) = crate::extract::pronoun::train_gap(&gap, &extra, p)
        .with_context(|| format!("training on {}", gap.display()))?;
    eprintln!(
        "{} coreference rows besides GAP; fitted F1 on {} {:.4}",
        extra.len(),
        gap.display(),
        scores.f1
    );
    write_model(&args.out, "pronoun.tsv", weights.as_bytes())?;
    eprintln!("training took {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn train_ner(args: &TrainArgs, started: Instant) -> Result<()> {
    let paths = if args.train.is_empty() {
        vec![PathBuf::from(UNER_TRAIN)]
    } else {
        args.train.clone()
    };
    // The tagger whose tags the NER model learns from: the one in --out if present (so a
    // full retrain uses the fresh tagger), else the embedded one.
    let tagger_bytes = std::fs::read(args.out.join("tagger.bin")).ok();
    let tagger = match &tagger_bytes {
        Some(b) if !b.is_empty() => Tagger::from_bytes(b)?,
        _ => Tagger::from_bytes(crate::nlp::TAGGER_BIN)?,
    };
    let mut data = read_ner(&paths, 2, 3, &tagger, None)?;
    if data.is_empty() {
        bail!("no training sentences in {paths:?}");
    }
    if args.jackknife >= 2 {
        jackknife_ner_tags(&mut data, args)?;
    }
    let dev = match &args.dev {
        Some(p) => Some(read_ner(std::slice::from_ref(p), 2, 3, &tagger, None)?),
        None => None,
    };
    eprintln!(
        "{} training sentences, {} entities",
        data.len(),
        data.iter().map(|s| s.entities.len()).sum::<usize>()
    );
    let t = NerTagger::train(
        &data,
        dev.as_deref(),
        args.iterations,
        args.seed,
        args.runs.unwrap_or(3),
        args.max_weights.unwrap_or(usize::MAX),
    );
    write_model(&args.out, "ner.bin", &t.to_bytes())?;
    eprintln!("training took {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The tagger a jackknife fold is tagged with (parser and NER training data): one pass, one
/// run, `--tagger-iterations`. Its tags are noisier than the real tagger's, and the parser
/// learned better from them than from the real tagger's configuration (models README).
fn jackknife_tagger(train: &[GoldSentence], args: &TrainArgs) -> Tagger {
    Tagger::train(
        train,
        None,
        args.tagger_iterations,
        args.seed,
        usize::MAX,
        false,
        1,
    )
}

/// XPOS tags of one sentence's words, normalized as the pipeline normalizes them.
fn tag_xpos(tagger: &Tagger, forms: &[String]) -> Vec<String> {
    let norm: Vec<String> = forms
        .iter()
        .map(|f| crate::nlp::normalize(f).into_owned())
        .collect();
    let f: Vec<&str> = norm.iter().map(String::as_str).collect();
    tagger
        .tag(&f)
        .iter()
        .map(|x| tagger.xpos[x.xpos].clone())
        .collect()
}

/// Replaces the XPOS tags of the NER training sentences by those of taggers that never saw
/// them: UNER's sentences are EWT train's, which the tagger is trained on, so its tags there
/// are nearly perfect, while at run time the NER model reads tags with the tagger's real
/// errors. Sentence `i` falls in fold `i % K`; fold `f`'s tagger (one pass, `--tagger-
/// iterations`) is trained on EWT and GUM-open train minus the sentences of fold `f`
/// (matched by their words).
fn jackknife_ner_tags(data: &mut [NerSentence], args: &TrainArgs) -> Result<()> {
    use rayon::prelude::*;
    let k = args.jackknife;
    let key = |forms: &mut dyn Iterator<Item = &str>| -> String {
        forms
            .map(|f| crate::nlp::normalize(f).into_owned())
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    let fold_of: std::collections::HashMap<String, usize> = data
        .iter()
        .enumerate()
        .map(|(i, s)| (key(&mut s.forms.iter().map(String::as_str)), i % k))
        .collect();
    let treebank = read_all(&[PathBuf::from(EWT_TRAIN), PathBuf::from(GUM_TRAIN)])?;
    let treebank_fold: Vec<Option<usize>> = treebank
        .iter()
        .map(|s| {
            fold_of
                .get(&key(&mut s.words.iter().map(|w| w.form.as_str())))
                .copied()
        })
        .collect();
    eprintln!(
        "jackknife: {} of {} NER sentences found in the treebanks",
        treebank_fold.iter().flatten().count(),
        data.len()
    );
    let tagged: Vec<Vec<(usize, Vec<String>)>> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<GoldSentence> = treebank
                .iter()
                .zip(&treebank_fold)
                .filter(|(_, f)| **f != Some(fold))
                .map(|(s, _)| s.clone())
                .collect();
            let t = jackknife_tagger(&train, args);
            let out = data
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k == fold)
                .map(|(i, s)| (i, tag_xpos(&t, &s.forms)))
                .collect();
            eprintln!("jackknife fold {}/{k} tagged", fold + 1);
            out
        })
        .collect();
    for (i, x) in tagged.into_iter().flatten() {
        data[i].xpos = x;
    }
    Ok(())
}

fn eval_ner(args: &EvalArgs) -> Result<()> {
    let gold_path = args.gold.clone().unwrap_or_else(|| PathBuf::from(UNER_DEV));
    let owned_ner;
    let (tagger_owned, ner): (Option<Tagger>, &NerTagger) = match &args.models {
        Some(dir) => {
            let read = |name: &str| {
                let p = dir.join(name);
                std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
            };
            owned_ner = NerTagger::from_bytes(&read("ner.bin")?)?;
            (Some(Tagger::from_bytes(&read("tagger.bin")?)?), &owned_ner)
        }
        None => (
            None,
            ner::NerTagger::embedded().map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
    };
    let tagger = match &tagger_owned {
        Some(t) => t,
        None => {
            &Pipeline::try_embedded()
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .tagger
        }
    };
    let gold = read_ner(
        std::slice::from_ref(&gold_path),
        args.form_column,
        args.tag_column,
        tagger,
        args.doc_prefix.as_deref(),
    )?;
    if gold.is_empty() {
        bail!("no gold sentences in {}", gold_path.display());
    }
    let s = ner.evaluate(&gold);
    if args.show_errors {
        for (sent, pred) in gold.iter().zip(ner.predict(&gold)) {
            let text = |e: &ner::EntitySpan| sent.forms[e.start..e.end].join(" ");
            for e in sent.entities.iter().filter(|e| !pred.contains(e)) {
                eprintln!("missed   {} {:?}", e.type_name(), text(e));
            }
            for e in pred.iter().filter(|e| !sent.entities.contains(e)) {
                eprintln!("spurious {} {:?}", e.type_name(), text(e));
            }
        }
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&s)?),
        Format::Text => {
            println!(
                "ner on {} ({} sentences, {} gold entities)",
                gold_path.display(),
                gold.len(),
                s.per_type.values().map(|p| p.gold).sum::<usize>()
            );
            println!(
                "precision: {:.4}\nrecall: {:.4}\nf1: {:.4}",
                s.precision, s.recall, s.f1
            );
            for (t, p) in &s.per_type {
                println!(
                    "{t}: precision {:.4} recall {:.4} f1 {:.4} (gold {}, predicted {})",
                    p.precision, p.recall, p.f1, p.gold, p.predicted
                );
            }
        }
    }
    Ok(())
}

const GAP_DEV: &str = "../shared/corpora/gap/gap-development.tsv";
const CARB_DEV: &str = "../shared/corpora/carb/dev-gold.tsv";

/// The models in `dir`, or the embedded ones. A loaded directory lives for the rest of the
/// (one-shot) command.
fn pipeline(dir: Option<&Path>) -> Result<&'static Pipeline> {
    Ok(match dir {
        Some(dir) => Box::leak(Box::new(Pipeline::from_dir(dir)?)),
        None => Pipeline::try_embedded().map_err(|e| anyhow::anyhow!("{e}"))?,
    })
}

fn print_scores(args: &EvalArgs, what: &str, path: &Path, fields: &[(&str, f64)]) {
    match args.format {
        Format::Json => {
            let obj: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| ((*k).to_string(), serde_json::json!(v)))
                .collect();
            println!("{}", serde_json::Value::Object(obj));
        }
        Format::Text => {
            println!("{what} on {}", path.display());
            for (k, v) in fields {
                println!("{k}: {v:.4}");
            }
        }
    }
}

fn eval_gap(args: &EvalArgs) -> Result<()> {
    use crate::extract::pronoun::PronounResolver;
    let path = args.gold.clone().unwrap_or_else(|| PathBuf::from(GAP_DEV));
    let p = pipeline(args.models.as_deref())?;
    // `--models DIR` may hold a refitted `pronoun.tsv` (from `train pronoun --out DIR`).
    let weights = args.models.as_ref().map(|d| d.join("pronoun.tsv"));
    let resolver = match weights.filter(|f| f.exists()) {
        Some(f) => {
            let src =
                std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
            PronounResolver::from_weights_file(&src)
                .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?
        }
        None => PronounResolver::new(),
    };
    let s = crate::extract::pronoun::eval_gap(&path, p, &resolver)
        .with_context(|| format!("scoring {}", path.display()))?;
    print_scores(
        args,
        &format!("gap ({} rows)", s.rows),
        &path,
        &[
            ("precision", s.precision),
            ("recall", s.recall),
            ("f1", s.f1),
            ("masculine_f1", s.masculine_f1),
            ("feminine_f1", s.feminine_f1),
            ("bias", s.bias),
        ],
    );
    Ok(())
}

fn eval_openie(args: &EvalArgs) -> Result<()> {
    use crate::extract::carb;
    let path = args.gold.clone().unwrap_or_else(|| PathBuf::from(CARB_DEV));
    let src =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let gold = carb::parse_gold(&src).with_context(|| format!("parsing {}", path.display()))?;
    if gold.sentences().is_empty() {
        bail!("no gold tuples in {}", path.display());
    }
    let p = pipeline(args.models.as_deref())?;
    let text: String = gold
        .sentences()
        .iter()
        .map(|s| format!("{}\n", s.text))
        .collect();
    let system = crate::extract::clauses::openie(&text, p);
    let s = carb::score(&gold, &system);
    if args.show_errors {
        for e in &system {
            eprintln!(
                "{:.3}\t{}\t{}\t{}",
                e.confidence,
                e.sentence,
                e.relation,
                e.args.join("\t")
            );
        }
    }
    print_scores(
        args,
        &format!(
            "openie ({} sentences, {} extractions)",
            gold.sentences().len(),
            system.len()
        ),
        &path,
        &[
            ("auc", s.auc),
            ("f1", s.f1),
            ("precision", s.precision),
            ("recall", s.recall),
        ]
        .into_iter()
        .chain(DECILE_KEYS.into_iter().zip(s.deciles))
        .collect::<Vec<_>>(),
    );
    Ok(())
}

/// `eval openie` keys of the precision per confidence decile (`CarbScores::deciles`), the
/// highest confidences first.
const DECILE_KEYS: [&str; 10] = [
    "decile_1",
    "decile_2",
    "decile_3",
    "decile_4",
    "decile_5",
    "decile_6",
    "decile_7",
    "decile_8",
    "decile_9",
    "decile_10",
];

const KNOWLEDGENET: &str = "../shared/corpora/knowledgenet/facts-folds1-3.jsonl";

fn eval_roles(args: &EvalArgs) -> Result<()> {
    let path = args
        .gold
        .clone()
        .unwrap_or_else(|| PathBuf::from(KNOWLEDGENET));
    let extractor = crate::extract::default_extractor();
    let scores = crate::extract::knowledgenet::eval_roles(&path, &extractor)
        .map_err(|e| anyhow::anyhow!("scoring roles: {e}"))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&scores)?),
        Format::Text => {
            println!("roles on {}", path.display());
            for (rel, s) in &scores {
                println!(
                    "{rel}: precision {:.4} recall {:.4} (named persons: {:.4}); \
                     {} passages, {} gold ({} named), {} predicted, {} correct",
                    s.precision,
                    s.recall,
                    s.recall_named,
                    s.passages,
                    s.gold,
                    s.gold_named,
                    s.predicted,
                    s.correct
                );
            }
        }
    }
    Ok(())
}

const CONLL04_DEV: &str = "../shared/corpora/conll04/conll04_dev.json";

fn eval_conll04(args: &EvalArgs) -> Result<()> {
    let path = args
        .gold
        .clone()
        .unwrap_or_else(|| PathBuf::from(CONLL04_DEV));
    let extractor = crate::extract::default_extractor();
    let t0 = Instant::now();
    let s = crate::extract::conll04::eval(&path, &extractor, args.show_errors)
        .map_err(|e| anyhow::anyhow!("scoring relations: {e}"))?;
    let secs = t0.elapsed().as_secs_f64();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&s)?),
        Format::Text => {
            println!(
                "conll04 relations on {} ({} sentences, {:.1}s)",
                path.display(),
                s.sentences,
                secs
            );
            println!(
                "precision: {:.4}\nrecall: {:.4}\nf1: {:.4}\n({} gold, {} predicted, {} correct)",
                s.precision, s.recall, s.f1, s.gold, s.predicted, s.correct
            );
            for (t, p) in &s.per_type {
                println!(
                    "{t}: precision {:.4} recall {:.4} f1 {:.4} (gold {}, predicted {}, correct {})",
                    p.precision, p.recall, p.f1, p.gold, p.predicted, p.correct
                );
            }
            let e = &s.entities;
            println!(
                "entities (Peop/Org/Loc, exact spans): precision {:.4} recall {:.4} f1 {:.4}",
                e.precision, e.recall, e.f1
            );
        }
    }
    Ok(())
}
