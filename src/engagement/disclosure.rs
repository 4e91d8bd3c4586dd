//! Which groups of schools to hide so that no small group's figures can be published or worked
//! out. Groups under the minimum size are hidden (primary suppression); then, wherever a hidden
//! group could be recovered from a published total and the other groups — or hidden groups
//! together would add up to a small group — the next-smallest group is hidden too
//! (complementary suppression), until nothing hidden can be recovered.
//!
//! It knows nothing of phases or areas: a caller describes its tables as cells (each a count of
//! schools) and sums (a total cell equal to the sum of its parts), and gets back the hidden set.
//! Every published figure is a count over a group's schools, so one answer serves every measure.

/// A total and the cells that add up to it.
#[derive(Debug, Clone)]
pub struct Sum {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// The cells to hide: `hidden[i]` for cell `i`, whose count of schools is `sizes[i]`.
/// Cells with no schools are never hidden (their figures are known to be zero).
pub fn hidden_cells(sizes: &[usize], sums: &[Sum], min: usize) -> Vec<bool> {
    // A sum of one part says two cells are the same group (an area with one phase; a type found
    // in one area only): they are one cell, hidden or shown together.
    let root = same_cells(sizes.len(), sums);
    let sums: Vec<Sum> = sums
        .iter()
        .map(|s| Sum { total: root[s.total], parts: s.parts.iter().map(|&p| root[p]).collect() })
        .filter(|s| !(s.parts.len() == 1 && s.parts[0] == s.total))
        .collect();
    let mut hidden: Vec<bool> = sizes.iter().map(|&n| n > 0 && n < min).collect();
    for c in 0..sizes.len() {
        hidden[root[c]] |= hidden[c];
    }
    // Each round hides one more cell, so this ends within `sizes.len()` rounds.
    while let Some(cell) = next_to_hide(sizes, &sums, min, &hidden) {
        hidden[cell] = true;
    }
    (0..sizes.len()).map(|c| hidden[root[c]]).collect()
}

/// Each cell's representative: the same for cells that a one-part sum makes equal.
fn same_cells(n: usize, sums: &[Sum]) -> Vec<usize> {
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], c: usize) -> usize {
        let mut r = c;
        while root[r] != r {
            r = root[r];
        }
        root[c] = r;
        r
    }
    for s in sums.iter().filter(|s| s.parts.len() == 1) {
        let (a, b) = (find(&mut root, s.total), find(&mut root, s.parts[0]));
        root[a.max(b)] = a.min(b);
    }
    (0..n).map(|c| find(&mut root, c)).collect()
}

/// What publishing the shown cells would give away.
enum Problem {
    /// A hidden cell that follows from the shown ones.
    Recoverable(usize),
    /// A sum whose hidden parts, worked out together, are a group smaller than the minimum.
    SmallRemainder(usize),
}

fn problems(sizes: &[usize], sums: &[Sum], min: usize, hidden: &[bool]) -> Vec<Problem> {
    let is_hidden = |c: usize| sizes[c] > 0 && hidden[c];
    let mut out: Vec<Problem> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_hidden(s.total))
        .filter(|(_, s)| {
            let remainder: usize = s.parts.iter().filter(|&&p| is_hidden(p)).map(|&p| sizes[p]).sum();
            remainder > 0 && remainder < min
        })
        .map(|(i, _)| Problem::SmallRemainder(i))
        .collect();
    out.extend(recoverable_cells(sizes, sums, hidden).into_iter().map(Problem::Recoverable));
    out
}

/// The next cell to hide, or None when nothing hidden can be worked out. Of the cells that
/// would mend the first problem, the one leaving the fewest problems is chosen, then the
/// smallest: a greedy choice, not the least suppression possible, but never an unsafe one.
fn next_to_hide(sizes: &[usize], sums: &[Sum], min: usize, hidden: &[bool]) -> Option<usize> {
    let shown = |c: &usize| sizes[*c] > 0 && !hidden[*c];
    let candidates: Vec<usize> = match problems(sizes, sums, min, hidden).first()? {
        Problem::SmallRemainder(i) => sums[*i].parts.iter().copied().filter(shown).collect(),
        Problem::Recoverable(cell) => sums
            .iter()
            .filter(|s| s.total == *cell || s.parts.contains(cell))
            .flat_map(|s| std::iter::once(s.total).chain(s.parts.iter().copied()))
            .filter(shown)
            .collect(),
    };
    // Were every cell of those sums hidden already, any shown cell of any sum will do.
    let candidates = if candidates.is_empty() {
        sums.iter().flat_map(|s| std::iter::once(s.total).chain(s.parts.iter().copied())).filter(shown).collect()
    } else {
        candidates
    };
    let mut trial = hidden.to_vec();
    candidates.into_iter().min_by_key(|&c| {
        trial[c] = true;
        let left = problems(sizes, sums, min, &trial).len();
        trial[c] = false;
        (left, sizes[c], c)
    })
}

/// Hidden cells whose value follows from the published ones: the unit vectors in the row space
/// of the sums restricted to hidden cells (Gauss–Jordan elimination; entries stay small).
pub fn recoverable_cells(sizes: &[usize], sums: &[Sum], hidden: &[bool]) -> Vec<usize> {
    let unknown: Vec<usize> = (0..sizes.len()).filter(|&c| sizes[c] > 0 && hidden[c]).collect();
    let column = |cell: usize| unknown.iter().position(|&u| u == cell);
    let mut rows: Vec<Vec<f64>> = sums
        .iter()
        .map(|s| {
            let mut row = vec![0.0_f64; unknown.len()];
            for (cell, sign) in std::iter::once((s.total, -1.0)).chain(s.parts.iter().map(|&p| (p, 1.0))) {
                if let Some(j) = column(cell) {
                    row[j] += sign;
                }
            }
            row
        })
        .filter(|r| r.iter().any(|x| x.abs() > 1e-9))
        .collect();
    let mut pivots = Vec::new();
    let mut next_row = 0;
    for j in 0..unknown.len() {
        let Some(p) = (next_row..rows.len()).find(|&r| rows[r][j].abs() > 1e-9) else { continue };
        rows.swap(next_row, p);
        let lead = rows[next_row][j];
        rows[next_row].iter_mut().for_each(|x| *x /= lead);
        let pivot = rows[next_row].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != next_row && row[j].abs() > 1e-9 {
                let f = row[j];
                row.iter_mut().zip(&pivot).for_each(|(x, y)| *x -= f * y);
            }
        }
        pivots.push((next_row, j));
        next_row += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, j)| rows[r].iter().enumerate().all(|(k, x)| k == j || x.abs() < 1e-9))
        .map(|(_, j)| unknown[j])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One table: cell 0 is the total of cells 1.. .
    fn one_table(sizes: &[usize]) -> Vec<Sum> {
        vec![Sum { total: 0, parts: (1..sizes.len()).collect() }]
    }

    #[test]
    fn one_small_group_hides_the_next_smallest_too() {
        let sizes = [89, 40, 30, 15, 4];
        let hidden = hidden_cells(&sizes, &one_table(&sizes), 5);
        assert_eq!(hidden, vec![false, false, false, true, true]);
    }

    #[test]
    fn small_groups_that_add_up_to_a_small_group_hide_another() {
        let sizes = [60, 40, 17, 1, 2];
        let hidden = hidden_cells(&sizes, &one_table(&sizes), 5);
        assert_eq!(hidden, vec![false, false, true, true, true], "1 + 2 schools is still a small group");
    }

    #[test]
    fn nothing_small_hides_nothing() {
        let sizes = [30, 10, 20];
        assert_eq!(hidden_cells(&sizes, &one_table(&sizes), 5), vec![false; 3]);
    }

    #[test]
    fn empty_cells_are_never_hidden_nor_chosen() {
        let sizes = [30, 0, 3, 27];
        assert_eq!(hidden_cells(&sizes, &one_table(&sizes), 5), vec![false, false, true, true]);
    }

    #[test]
    fn a_cross_table_is_closed_in_rows_and_columns() {
        // Two areas (rows) by two phases (columns), with margins:
        // 0 = all; 1, 2 = areas; 3, 4 = phases; 5 = (a1,p1), 6 = (a1,p2), 7 = (a2,p1), 8 = (a2,p2).
        let sizes = [40, 20, 20, 22, 18, 18, 2, 4, 16];
        let sums = vec![
            Sum { total: 0, parts: vec![1, 2] },
            Sum { total: 0, parts: vec![3, 4] },
            Sum { total: 1, parts: vec![5, 6] },
            Sum { total: 2, parts: vec![7, 8] },
            Sum { total: 3, parts: vec![5, 7] },
            Sum { total: 4, parts: vec![6, 8] },
        ];
        let hidden = hidden_cells(&sizes, &sums, 5);
        assert!(hidden[6] && hidden[7], "the small cells");
        assert!(recoverable_cells(&sizes, &sums, &hidden).is_empty(), "{hidden:?}");
        assert!(hidden.iter().filter(|&&h| h).count() >= 4, "a cross table needs a closed cycle: {hidden:?}");
    }

    #[test]
    fn cells_that_are_one_group_are_hidden_together() {
        // 0 = all; 1, 2 = types; type 2 lives in one area only, so 3 (that area's type 2) = 2.
        let sizes = [30, 27, 3, 3];
        let sums = vec![Sum { total: 0, parts: vec![1, 2] }, Sum { total: 2, parts: vec![3] }];
        let hidden = hidden_cells(&sizes, &sums, 5);
        assert_eq!(hidden, vec![false, true, true, true]);
    }

    #[test]
    fn recovery_is_found_through_several_sums() {
        // 0 = 1 + 2, 2 = 3 + 4: with 1 published and 3 published, 4 follows from two sums.
        let sizes = [20, 10, 10, 6, 4];
        let sums = vec![Sum { total: 0, parts: vec![1, 2] }, Sum { total: 2, parts: vec![3, 4] }];
        let hidden = [false, false, true, false, true];
        assert_eq!(recoverable_cells(&sizes, &sums, &hidden), vec![2, 4]);
    }
}
