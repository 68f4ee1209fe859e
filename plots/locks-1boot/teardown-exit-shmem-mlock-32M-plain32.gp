# mlockbench plot, standalone: in this folder, run: gnuplot teardown-exit-shmem-mlock-32M-plain32.gp
# Writes teardown-exit-shmem-mlock-32M-plain32.png and teardown-exit-shmem-mlock-32M-plain32.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'teardown-exit-shmem-mlock-32M-plain32.png'
set title 'exit: teardown vs processes - shmem, mlock, 32M per process, 32 plain mappers'."\n".'debian-5.10 vs debian-6.1'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "teardown, release to last locker done (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 2, 4, 8, 16)
set xrange [0.714286:22.4]
plot 'teardown-exit-shmem-mlock-32M-plain32.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'debian-5.10: b = 0.31 [-0.14, 0.76], R² = 0.609', \
     0.0445984*x**0.305369 with lines dt 2 lw 1.5 lc rgb '#1f77b4' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#d62728' title 'debian-6.1: b = 0.56 [0.33, 0.79], R² = 0.953', \
     0.0100199*x**0.561639 with lines dt 2 lw 1.5 lc rgb '#d62728' notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title 'dashed: fitted c·P^b (least squares, log-log)'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'teardown-exit-shmem-mlock-32M-plain32.svg'
replot
unset output
