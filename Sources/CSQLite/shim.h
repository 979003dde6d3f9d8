#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro that Swift cannot import: make SQLite copy bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
