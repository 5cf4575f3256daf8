// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// READ_ONCE()/WRITE_ONCE() take 1, 2, 4 or 8 bytes; a larger scalar passes
// -fsyntax-only and fails only at code generation, so kmark checks the size
// itself and offers no fix-it.  An element of an array field is an access
// of that field, and a scalar element can be wrapped.
#include <linux/compiler.h>

struct stats {
	__int128 total;
	u32 slots[8];
};

__int128 stats_reader(struct stats *s, int i)
{
	return *(volatile __int128 *)&s->total + READ_ONCE(s->slots[i]);
}

void stats_writer(struct stats *s, __int128 v, int i)
{
	s->total = v;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'stats::total' races with lockless reader stats_reader() (confidence: low, {{[0-9]+}}); no fix-it: its size is not 1, 2, 4 or 8 bytes [kmark-missing-write-once]
	// CHECK-FIXES: s->total = v;
	s->slots[i] = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'stats::slots' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->slots[i], 1);
}
