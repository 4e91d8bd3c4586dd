//! Where a run's pages and files go: the [`Output`] a run of the phases writes into. A build
//! writes a staging folder and swaps it in at the end ([`Staged`]); `stave check` writes
//! nothing; the preview writes only what changed into the folder it serves
//! (`serve::preview`).

use crate::error::Diagnostic;
use crate::library::Library;
use crate::output::write::Staging;
use crate::output::{CopiedFile, OutputFile};

/// What a run hands its pages and files to. Its methods may be called from many cores.
pub trait Output: Sync {
    /// Whether anything is written (not for `stave check`, which then skips minifying and the
    /// search index).
    fn writes(&self) -> bool;
    /// Takes one page as soon as it is made: writes it now (None), or gives it back to be
    /// handed to [`Output::pages`] with the others.
    fn page(&self, path: String, bytes: Vec<u8>) -> Result<Option<OutputFile>, Diagnostic>;
    /// Every page the run made and gave back, and the output paths of pages no longer made,
    /// from the Library `lib` (the preview only: a build writes its pages as they come).
    fn pages(&self, made: &[OutputFile], gone: &[String], lib: &Library) -> Result<(), Diagnostic>;
    /// Every file that is not a page: made in memory, or copied from the site's sources.
    /// Returns how many were written or removed.
    fn files(&self, made: &[OutputFile], copies: &[CopiedFile]) -> Result<usize, Diagnostic>;
    /// The run succeeded: puts what was written in place.
    fn commit(&self) -> Result<(), Diagnostic>;
}

/// A build's output: a staging folder swapped in for the old output once everything has
/// succeeded (see [`Staging`]); none for `stave check`.
pub struct Staged(pub Option<Staging>);

impl Output for Staged {
    fn writes(&self) -> bool {
        self.0.is_some()
    }

    fn page(&self, path: String, bytes: Vec<u8>) -> Result<Option<OutputFile>, Diagnostic> {
        match &self.0 {
            Some(s) => s.put(&path, &bytes).map(|()| None),
            None => Ok(None),
        }
    }

    fn pages(&self, _made: &[OutputFile], _gone: &[String], _lib: &Library) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn files(&self, made: &[OutputFile], copies: &[CopiedFile]) -> Result<usize, Diagnostic> {
        let Some(s) = &self.0 else { return Ok(0) };
        s.put_all(made)?;
        s.copy_all(copies)?;
        Ok(made.len() + copies.len())
    }

    fn commit(&self) -> Result<(), Diagnostic> {
        self.0.as_ref().map_or(Ok(()), Staging::commit)
    }
}
