//! How loops over every file, item or page are cut up for the cores.
//!
//! Rayon cuts a parallel loop into twice as many pieces as there are threads, and cuts a piece
//! further only when another thread steals it. On two cores a loop is therefore four pieces,
//! and the last one runs on one core while the other has nothing to take. On a 100,000-page
//! site that piece was a quarter of the files: one core read for 180 ms while the other
//! slept. Capping the pieces keeps both cores busy to the end; the waste grew with the site,
//! so it mattered most on the largest ones.

/// The most files, items or pages one piece of a parallel loop holds (`with_max_len`). A
/// piece of this size takes a millisecond or two: small enough to balance the end of a loop,
/// large enough that handing pieces out costs nothing measurable.
pub const PIECE: usize = 32;
