// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- %kernel_flags -I%S/Inputs
// What only a kernel thread's function reaches runs in that thread, one
// piece at a time: a store there under the thread's own mutex does not
// race with the same thread's lockless READ_ONCE() (a command loop and the
// helper it sleeps in), unless a pool of threads runs the function; the
// store stays at the low tier.  A reader outside the thread still races,
// and so does one that other code calls too.
#include <linux/compiler.h>
#include <linux/lock.h>
#include "kthread.h"

struct cmd_buf {
	int state;
	int done;
	int stage;
};

struct cmd_dev {
	struct mutex lock;
	struct cmd_buf *buf;
	struct task_struct *task;
};

static void wait_for_buf(struct cmd_buf *b)
{
	while (READ_ONCE(b->state) != 0)
		;
}

/* Called in the thread and from outside it: not the thread's alone. */
static int peek_stage(struct cmd_buf *b)
{
	return READ_ONCE(b->stage);
}

static void run_command(struct cmd_dev *d)
{
	mutex_lock(&d->lock);
	d->buf->state = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cmd_buf::state' races with lockless reader wait_for_buf(), which holds no lock; this store holds 'cmd_dev::lock' (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: wait_for_buf() and this store both run only in cmd_thread()'s kernel thread
	// CHECK-FIXES: WRITE_ONCE(d->buf->state, 1);
	d->buf->stage = peek_stage(d->buf) + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cmd_buf::stage' races with lockless reader peek_stage(), which holds no lock; this store holds 'cmd_dev::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(d->buf->stage, peek_stage(d->buf) + 1);
	d->buf->done = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cmd_buf::done' races with lockless reader cmd_done_show(), which holds no lock; this store holds 'cmd_dev::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(d->buf->done, 1);
	mutex_unlock(&d->lock);
	wait_for_buf(d->buf);
}

static int cmd_thread(void *data)
{
	struct cmd_dev *d = data;

	while (!kthread_should_stop())
		run_command(d);
	return 0;
}

int cmd_start(struct cmd_dev *d)
{
	d->task = kthread_run(cmd_thread, d, "cmd");
	return 0;
}

int cmd_ioctl(struct cmd_dev *d)
{
	return peek_stage(d->buf);
}

/* Outside the thread: a sysfs-like reader. */
int cmd_done_show(struct cmd_dev *d)
{
	return READ_ONCE(d->buf->done);
}
