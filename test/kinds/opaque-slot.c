// RUN: cd %S && %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 --evidence Inputs/pressure/trigger.c -- %kernel_flags -I%S/Inputs
// A `void *` field holds whatever the code that sets it makes it: the
// pressure files' marked ->private (another directory) says nothing about
// the devices' ->private here, which is set once at open.  Marked accesses
// in this directory do count, on ->cursor as on any field.
#include <linux/compiler.h>
#include "seqfile.h"

void *devices_private(struct seqf *s)
{
	return s->private;
}

void *devices_cursor(struct seqf *s)
{
	return s->cursor;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'seqf::cursor' races with devices_seek(), which writes it with WRITE_ONCE(); no lock is visibly held in devices_cursor() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE+6]]:13: note: devices_seek() writes 's->cursor' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(s->cursor);
}

void devices_seek(struct seqf *s, void *c)
{
	WRITE_ONCE(s->cursor, c);
}
