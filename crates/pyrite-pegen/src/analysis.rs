//! Grammar analysis: nullable rules, left recursion (strongly connected components of the
//! "may start with" graph) and the choice of leaders, as pegen does it.

use crate::grammar::{Alt, Grammar, Item};
use std::collections::{BTreeSet, HashMap};

pub struct Analysis {
    /// Rules that are left-recursive, by index.
    pub left_recursive: BTreeSet<usize>,
    /// Left-recursive rules that drive the seed-growing loop.
    pub leaders: BTreeSet<usize>,
    /// Leaders whose only left recursion is direct and in first position (`sum: sum '+' term |
    /// term`): no other rule is in their cycle, and every alternative that may call the rule
    /// before consuming input starts with the rule itself. Their seed can be grown without
    /// consulting the memo (see codegen).
    pub direct: BTreeSet<usize>,
    /// Rules that can match without consuming a token, by index.
    pub nullable: Vec<bool>,
}

pub fn item_nullable(item: &Item, nullable: &[bool], index: &HashMap<&str, usize>) -> bool {
    match item {
        Item::Name(n) => index.get(n.as_str()).is_some_and(|&i| nullable[i]),
        Item::Str { .. } => false,
        Item::Group(alts) => alts.iter().any(|a| alt_nullable(a, nullable, index)),
        Item::Opt(_) | Item::Star(_) => true,
        Item::Plus(x) => item_nullable(x, nullable, index),
        Item::Gather { elem, .. } => item_nullable(elem, nullable, index),
        Item::PosLookahead(_) | Item::NegLookahead(_) | Item::Cut => true,
        Item::Forced(x) => item_nullable(x, nullable, index),
    }
}

fn alt_nullable(alt: &Alt, nullable: &[bool], index: &HashMap<&str, usize>) -> bool {
    alt.items.iter().all(|i| item_nullable(&i.item, nullable, index))
}

/// The rules that may be called at the start of `item` (before consuming input).
fn item_firsts(item: &Item, nullable: &[bool], index: &HashMap<&str, usize>, out: &mut BTreeSet<usize>) {
    match item {
        Item::Name(n) => {
            if let Some(&i) = index.get(n.as_str()) {
                out.insert(i);
            }
        }
        Item::Str { .. } | Item::Cut => {}
        Item::Group(alts) => {
            for a in alts {
                alt_firsts(a, nullable, index, out);
            }
        }
        Item::Opt(x) | Item::Star(x) | Item::Plus(x) | Item::Forced(x) => item_firsts(x, nullable, index, out),
        Item::Gather { elem, .. } => item_firsts(elem, nullable, index, out),
        Item::PosLookahead(x) | Item::NegLookahead(x) => item_firsts(x, nullable, index, out),
    }
}

fn alt_firsts(alt: &Alt, nullable: &[bool], index: &HashMap<&str, usize>, out: &mut BTreeSet<usize>) {
    for i in &alt.items {
        item_firsts(&i.item, nullable, index, out);
        if !item_nullable(&i.item, nullable, index) {
            break;
        }
    }
}

pub fn analyze(g: &Grammar) -> Result<Analysis, String> {
    let index: HashMap<&str, usize> = g.rules.iter().enumerate().map(|(i, r)| (r.name.as_str(), i)).collect();
    let n = g.rules.len();
    let mut nullable = vec![false; n];
    loop {
        let mut changed = false;
        for (i, r) in g.rules.iter().enumerate() {
            if !nullable[i] && r.alts.iter().any(|a| alt_nullable(a, &nullable, &index)) {
                nullable[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let graph: Vec<BTreeSet<usize>> = g
        .rules
        .iter()
        .map(|r| {
            let mut s = BTreeSet::new();
            for a in &r.alts {
                alt_firsts(a, &nullable, &index, &mut s);
            }
            s
        })
        .collect();
    let sccs = tarjan(&graph);
    let mut left_recursive = BTreeSet::new();
    let mut leaders = BTreeSet::new();
    let mut direct = BTreeSet::new();
    for scc in sccs {
        if scc.len() == 1 {
            let r = scc[0];
            if graph[r].contains(&r) {
                left_recursive.insert(r);
                leaders.insert(r);
                let name = g.rules[r].name.as_str();
                let only_first = g.rules[r].alts.iter().all(|a| {
                    let mut firsts = BTreeSet::new();
                    alt_firsts(a, &nullable, &index, &mut firsts);
                    !firsts.contains(&r)
                        || (matches!(a.items.first().map(|i| &i.item), Some(Item::Name(n)) if n == name)
                            && !nullable[r])
                });
                if only_first {
                    direct.insert(r);
                }
            }
            continue;
        }
        left_recursive.extend(scc.iter().copied());
        // One leader whose removal leaves the component without cycles.
        let members: BTreeSet<usize> = scc.iter().copied().collect();
        let mut sorted = scc.clone();
        sorted.sort();
        let leader = sorted.iter().copied().find(|&cand| {
            let sub: Vec<BTreeSet<usize>> = (0..n)
                .map(|i| {
                    if i == cand || !members.contains(&i) {
                        BTreeSet::new()
                    } else {
                        graph[i]
                            .iter()
                            .copied()
                            .filter(|j| *j != cand && members.contains(j))
                            .collect()
                    }
                })
                .collect();
            tarjan(&sub).iter().all(|c| c.len() == 1 && !sub[c[0]].contains(&c[0]))
        });
        match leader {
            Some(l) => {
                leaders.insert(l);
            }
            None => {
                let names: Vec<&str> = scc.iter().map(|&i| g.rules[i].name.as_str()).collect();
                return Err(format!("left-recursive cycle needs more than one leader: {names:?}"));
            }
        }
    }
    Ok(Analysis {
        left_recursive,
        leaders,
        direct,
        nullable,
    })
}

pub fn tarjan(graph: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct St<'g> {
        graph: &'g [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut St, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on[v] = true;
        let succ: Vec<usize> = s.graph[v].iter().copied().collect();
        for w in succ {
            if s.index[w].is_none() {
                visit(s, w);
                s.low[v] = s.low[v].min(s.low[w]);
            } else if s.on[w] {
                s.low[v] = s.low[v].min(s.index[w].unwrap());
            }
        }
        if s.low[v] == s.index[v].unwrap() {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let n = graph.len();
    let mut s = St {
        graph,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}
