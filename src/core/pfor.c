/* pfor: items handed out from a shared counter to a few threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "latticectl/pfor.h"
#include "latticectl/xmalloc.h"

struct pfor {
	size_t		 n;
	pfor_fn		 fn;
	void		*arg;
	atomic_size_t	 next;
	atomic_int	 rc;	/* first non-zero result */
};

/* Take items until none are left or one failed. */
static void *
pfor_main(void *arg)
{
	struct pfor	*p = arg;
	size_t		 i;
	int		 r, zero;

	while (atomic_load(&p->rc) == 0 &&
	    (i = atomic_fetch_add(&p->next, 1)) < p->n) {
		if ((r = p->fn(p->arg, i)) != 0) {
			zero = 0;
			atomic_compare_exchange_strong(&p->rc, &zero, r);
		}
	}
	return NULL;
}

/* Run fn over [0, n) on up to threads threads. */
int
pfor_run(size_t n, unsigned threads, pfor_fn fn, void *arg)
{
	struct pfor	 p;
	pthread_t	*tid;
	size_t		 extra, started = 0, k;

	p.n = n;
	p.fn = fn;
	p.arg = arg;
	atomic_init(&p.next, 0);
	atomic_init(&p.rc, 0);
	extra = threads > 1 ? threads - 1 : 0;
	if (extra > n)
		extra = n > 0 ? n - 1 : 0;
	tid = xcalloc(extra + 1, sizeof(*tid));
	for (k = 0; k < extra; k++) {
		if (pthread_create(&tid[started], NULL, pfor_main, &p) == 0)
			started++;
	}
	pfor_main(&p);
	for (k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	free(tid);
	return atomic_load(&p.rc);
}
