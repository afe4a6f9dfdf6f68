#include <cblas.h>

/* LAPACK routines exported by libopenblas (Fortran calling convention). */
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void spotri_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda, float *b, const int *ldb, int *info);
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);

/* Cache prefetch hint for hot loops with random row access (Swift has no prefetch intrinsic). A hint only: never
   faults, never changes results. */
static inline void curio_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }
