"""Frames: what a question is about, as typed fields (rag.frames.frame), where its words say each
(rag.frames.slots), a frame changed by one slot (rag.frames.switch) and made into words again
(rag.frames.render), and a question of several parallel parts read as one frame per part (rag.frames.parts).
Follow-ups (rag.conversation) and the answer pipeline (rag.answer) both read questions as frames."""

from rag.frames.frame import Change, Context, Frame, changed, document_of, read_frame

__all__ = ["Change", "Context", "Frame", "changed", "document_of", "read_frame"]
