//! From tokens (words and operators, with positions, see [`super::lex`]) to
//! lists, pipelines and simple commands: a recursive-descent reading of the
//! shell grammar. Any construct it does not model, and any syntax error,
//! makes the whole script unsupported.

use std::ops::Range;

use super::lex::Tok;

/// Why a script is not modelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

impl Unsupported {
    /// A shell would refuse the script too (quotes or substitutions left
    /// open, misplaced operators or words), rather than this module not
    /// modelling what it uses.
    pub fn is_syntax_error(&self) -> bool {
        matches!(
            self.0,
            "shell syntax"
                | "unexpected token"
                | "unexpected token after a command"
                | "missing command"
                | "unexpected operator"
                | "unbalanced compound command"
                | "redirection without a target"
                | "empty command"
                | "reserved word out of place"
        )
    }
}

/// A list: and-or lists separated by `;`, `&` or newlines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    pub items: Vec<AndOr>,
}

/// Pipelines joined by `&&` and `||`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    /// The operator (`&&` or `||`, its token index) before each pipeline.
    pub rest: Vec<(usize, Pipeline)>,
    /// The token index of the `;`, `&` or newline that ends it, if any.
    pub terminator: Option<usize>,
}

impl AndOr {
    pub fn pipelines(&self) -> impl Iterator<Item = &Pipeline> {
        std::iter::once(&self.first).chain(self.rest.iter().map(|(_, p)| p))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
    /// First and last token index.
    pub tokens: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Index into the script's simple commands.
    Simple(usize),
    /// A subshell, group, `if`, loop, `case` or `[[ … ]]`: its keyword and
    /// token range.
    Compound {
        keyword: String,
        tokens: Range<usize>,
    },
}

/// A simple command: token indices of its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Simple {
    pub assignments: Vec<usize>,
    pub words: Vec<usize>,
    /// Each redirection: operator token and target token (and the io
    /// number token before the operator, if any).
    pub redirects: Vec<Redirect>,
    /// Inside a compound command (not at the top of the script).
    pub nested: bool,
    /// Run in a subshell: inside `( … )` or a part of a pipeline of
    /// several commands. What it changes in the shell does not last.
    pub subshell: bool,
    pub tokens: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub number: Option<usize>,
    pub operator: usize,
    pub target: usize,
}

pub struct Scanner<'t> {
    toks: &'t [Tok<'t>],
    pos: usize,
    depth: usize,
    pub simples: Vec<Simple>,
    /// Some pipeline has several commands.
    pub pipes: bool,
}

/// Compound commands nested deeper are not modelled (the scanner descends
/// once per level; real scripts stay far below).
const MAX_DEPTH: usize = 32;

const REDIRECTS: &[&str] = &["<", ">", ">>", "<&", ">&", "<>", ">|", "&>", "&>>", "<<<"];
const HEREDOCS: &[&str] = &["<<", "<<-"];
/// Reserved words that cannot start a command (`!` only starts a pipeline).
const CLOSERS: &[&str] = &[
    "then", "elif", "else", "fi", "do", "done", "esac", "}", "in", "!",
];
/// Reserved words that start a compound command.
const RESERVED: &[&str] = &[
    "if", "while", "until", "for", "select", "case", "{", "!", "[[", "function", "time",
];
/// Words that end a list inside a compound command.
const LIST_ENDS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

impl<'t> Scanner<'t> {
    pub fn new(toks: &'t [Tok<'t>]) -> Self {
        Self {
            toks,
            pos: 0,
            depth: 0,
            simples: Vec::new(),
            pipes: false,
        }
    }

    fn peek(&self) -> Option<&'t Tok<'t>> {
        self.toks.get(self.pos)
    }

    fn skip_newlines(&mut self) {
        while self.peek().is_some_and(|t| t.is_op("\n")) {
            self.pos += 1;
        }
    }

    /// The whole script: a list up to the end of the tokens.
    pub fn script(&mut self) -> Result<List, Unsupported> {
        let list = self.list()?;
        if self.pos != self.toks.len() {
            return Err(Unsupported("unexpected token"));
        }
        Ok(list)
    }

    fn at_list_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(t) if t.operator => matches!(t.text, ")" | ";;" | ";&" | ";;&"),
            Some(t) => self.depth > 0 && LIST_ENDS.contains(&t.text),
        }
    }

    fn list(&mut self) -> Result<List, Unsupported> {
        let mut list = List::default();
        loop {
            self.skip_newlines();
            if self.at_list_end() {
                return Ok(list);
            }
            let mut and_or = self.and_or()?;
            match self.peek() {
                Some(t) if t.operator && matches!(t.text, ";" | "&" | "\n") => {
                    and_or.terminator = Some(self.pos);
                    self.pos += 1;
                    list.items.push(and_or);
                }
                _ => {
                    list.items.push(and_or);
                    if !self.at_list_end() {
                        return Err(Unsupported("unexpected token after a command"));
                    }
                }
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, Unsupported> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        while let Some(t) = self.peek() {
            if !(t.is_op("&&") || t.is_op("||")) {
                break;
            }
            let op = self.pos;
            self.pos += 1;
            self.skip_newlines();
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            terminator: None,
        })
    }

    fn pipeline(&mut self) -> Result<Pipeline, Unsupported> {
        let start = self.pos;
        let bang = self.peek().is_some_and(|t| t.is_word("!"));
        if bang {
            self.pos += 1;
        }
        let first_simple = self.simples.len();
        let mut commands = vec![self.command()?];
        while let Some(t) = self.peek() {
            if !(t.is_op("|") || t.is_op("|&")) {
                break;
            }
            self.pos += 1;
            self.skip_newlines();
            commands.push(self.command()?);
        }
        if commands.len() > 1 {
            self.pipes = true;
            for simple in &mut self.simples[first_simple..] {
                simple.subshell = true;
            }
        }
        Ok(Pipeline {
            bang,
            commands,
            tokens: start..self.pos,
        })
    }

    fn command(&mut self) -> Result<Command, Unsupported> {
        let Some(t) = self.peek() else {
            return Err(Unsupported("missing command"));
        };
        let start = self.pos;
        let keyword = t.text.to_owned();
        if t.operator {
            if t.text != "(" {
                return Err(Unsupported("unexpected operator"));
            }
            self.pos += 1;
            let first_simple = self.simples.len();
            self.nested(|s| s.list())?;
            self.expect_op(")")?;
            for simple in &mut self.simples[first_simple..] {
                simple.subshell = true;
            }
        } else {
            match t.text {
                "{" => {
                    self.pos += 1;
                    self.nested(|s| s.list())?;
                    self.expect_word("}")?;
                }
                "if" => self.if_clause()?,
                "while" | "until" => {
                    self.pos += 1;
                    self.nested(|s| s.list())?;
                    self.do_group()?;
                }
                "for" | "select" => self.for_clause()?,
                "case" => self.case_clause()?,
                // Its test expression has a grammar of its own, not read.
                "[[" => return Err(Unsupported("conditional expression [[ … ]]")),
                "function" => {
                    self.pos += 1;
                    if self.peek().is_none_or(|t| t.operator) {
                        return Err(Unsupported("function definition"));
                    }
                    self.pos += 1;
                    if self.peek().is_some_and(|t| t.is_op("(")) {
                        self.pos += 1;
                        self.expect_op(")")?;
                    }
                    self.function_body()?;
                }
                _ if self.toks.get(self.pos + 1).is_some_and(|t| t.is_op("(")) => {
                    self.pos += 2;
                    self.expect_op(")")?;
                    self.function_body()?;
                }
                _ => return self.simple(),
            }
        }
        self.compound_redirects()?;
        Ok(Command::Compound {
            keyword,
            tokens: start..self.pos,
        })
    }

    /// The compound command of a function definition: its commands only
    /// run where the function is called, so they count as nested.
    fn function_body(&mut self) -> Result<(), Unsupported> {
        self.skip_newlines();
        match self.nested(|s| s.command())? {
            Command::Compound { .. } => Ok(()),
            Command::Simple(_) => Err(Unsupported("function definition")),
        }
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Unsupported>,
    ) -> Result<T, Unsupported> {
        if self.depth == MAX_DEPTH {
            return Err(Unsupported("compound commands nested too deeply"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn expect_op(&mut self, op: &str) -> Result<(), Unsupported> {
        match self.peek() {
            Some(t) if t.is_op(op) => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(Unsupported("unbalanced compound command")),
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), Unsupported> {
        match self.peek() {
            Some(t) if t.is_word(word) => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(Unsupported("unbalanced compound command")),
        }
    }

    fn if_clause(&mut self) -> Result<(), Unsupported> {
        self.pos += 1;
        self.nested(|s| s.list())?;
        self.expect_word("then")?;
        self.nested(|s| s.list())?;
        loop {
            match self.peek() {
                Some(t) if t.is_word("elif") => {
                    self.pos += 1;
                    self.nested(|s| s.list())?;
                    self.expect_word("then")?;
                    self.nested(|s| s.list())?;
                }
                Some(t) if t.is_word("else") => {
                    self.pos += 1;
                    self.nested(|s| s.list())?;
                }
                _ => return self.expect_word("fi"),
            }
        }
    }

    fn do_group(&mut self) -> Result<(), Unsupported> {
        self.expect_word("do")?;
        self.nested(|s| s.list())?;
        self.expect_word("done")
    }

    /// `for NAME [in WORD…] (;|newline) do LIST done`.
    fn for_clause(&mut self) -> Result<(), Unsupported> {
        self.pos += 1;
        match self.peek() {
            Some(t) if !t.operator => self.pos += 1,
            _ => return Err(Unsupported("arithmetic for loop")),
        }
        self.skip_newlines();
        if self.peek().is_some_and(|t| t.is_word("in")) {
            self.pos += 1;
            while self.peek().is_some_and(|t| !t.operator) {
                self.pos += 1;
            }
        }
        if self.peek().is_some_and(|t| t.is_op(";")) {
            self.pos += 1;
        }
        self.skip_newlines();
        self.do_group()
    }

    /// `case WORD in [(]PATTERN[|PATTERN…]) LIST ;; … esac`: the lists of
    /// the branches are read like any other; the patterns are skipped.
    fn case_clause(&mut self) -> Result<(), Unsupported> {
        self.pos += 1;
        match self.peek() {
            Some(t) if !t.operator => self.pos += 1,
            _ => return Err(Unsupported("case without a word")),
        }
        self.skip_newlines();
        self.expect_word("in")?;
        loop {
            self.skip_newlines();
            match self.peek() {
                Some(t) if t.is_word("esac") => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(Unsupported("unbalanced compound command")),
                _ => {}
            }
            if self.peek().is_some_and(|t| t.is_op("(")) {
                self.pos += 1;
            }
            // The patterns: words separated by `|`, up to `)`.
            loop {
                match self.peek() {
                    Some(t) if !t.operator => self.pos += 1,
                    _ => return Err(Unsupported("case pattern")),
                }
                match self.peek() {
                    Some(t) if t.is_op("|") => self.pos += 1,
                    Some(t) if t.is_op(")") => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Unsupported("case pattern")),
                }
            }
            self.nested(|s| s.list())?;
            match self.peek() {
                Some(t) if t.operator && matches!(t.text, ";;" | ";&" | ";;&") => self.pos += 1,
                Some(t) if t.is_word("esac") => {}
                _ => return Err(Unsupported("case branch")),
            }
        }
    }

    fn compound_redirects(&mut self) -> Result<(), Unsupported> {
        let mut ignored = Simple::default();
        while self.redirect(&mut ignored)? {}
        Ok(())
    }

    /// Reads one redirection at the current position into `simple`.
    fn redirect(&mut self, simple: &mut Simple) -> Result<bool, Unsupported> {
        let Some(t) = self.peek() else {
            return Ok(false);
        };
        let next = self.toks.get(self.pos + 1);
        let (number, op) = if !t.operator
            && t.text.bytes().all(|b| b.is_ascii_digit())
            && next
                .is_some_and(|n| n.operator && n.range.start == t.range.end && is_redirect(n.text))
        {
            (Some(self.pos), self.pos + 1)
        } else if t.operator && is_redirect(t.text) {
            (None, self.pos)
        } else {
            return Ok(false);
        };
        if HEREDOCS.contains(&self.toks[op].text) {
            return Err(Unsupported("here-document"));
        }
        let target = op + 1;
        if self.toks.get(target).is_none_or(|t| t.operator) {
            return Err(Unsupported("redirection without a target"));
        }
        simple.redirects.push(Redirect {
            number,
            operator: op,
            target,
        });
        self.pos = target + 1;
        Ok(true)
    }

    fn simple(&mut self) -> Result<Command, Unsupported> {
        let start = self.pos;
        let mut simple = Simple {
            nested: self.depth > 0,
            ..Simple::default()
        };
        loop {
            if self.redirect(&mut simple)? {
                continue;
            }
            let Some(t) = self.peek() else { break };
            if t.operator {
                break;
            }
            if simple.words.is_empty() && is_assignment(t.text) {
                simple.assignments.push(self.pos);
            } else {
                simple.words.push(self.pos);
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(Unsupported("empty command"));
        }
        // A reserved word where a command name is due: a syntax error, or
        // (after assignments) a word bash reads in a way not modelled.
        if let Some(&name) = simple.words.first() {
            let name = self.toks[name].text;
            if CLOSERS.contains(&name)
                || (!simple.assignments.is_empty() && RESERVED.contains(&name))
            {
                return Err(Unsupported("reserved word out of place"));
            }
        }
        simple.tokens = start..self.pos;
        self.simples.push(simple);
        Ok(Command::Simple(self.simples.len() - 1))
    }
}

fn is_redirect(op: &str) -> bool {
    REDIRECTS.contains(&op) || HEREDOCS.contains(&op)
}

/// `NAME=…` (or `NAME+=…`) with a valid shell name.
pub fn is_assignment(word: &str) -> bool {
    let Some(eq) = word.find('=') else {
        return false;
    };
    let name = word[..eq].strip_suffix('+').unwrap_or(&word[..eq]);
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
